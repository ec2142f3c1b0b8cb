import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** Distinct (app, audience, serviceUrl) triples kept; Teams uses a handful of service URLs per region. */
const maxCachedClients = 64;

/**
 * The SDK's authentication, except that connector and user-token clients are built once and kept,
 * rather than for every request. A ConnectorClient owns its HTTP agent, so one per request also
 * meant a fresh connection (and, to Teams, a fresh TLS handshake) for every reply; kept clients
 * reuse their connections. Their credentials fetch and refresh tokens as they need to.
 */
export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();
  private readonly factories = new Map<string, CachingConnectorFactory>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return { ...result, connectorFactory: this.cached(result.claimsIdentity, result.connectorFactory) };
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.cached(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    let client = this.userTokenClients.get(key);
    if (!client) {
      client = this.inner.createUserTokenClient(claimsIdentity);
      this.userTokenClients.set(key, client);
      client.catch(() => this.userTokenClients.delete(key));
    }
    return client;
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  /** One caching factory per app id, made on first use: the SDK makes a new factory for every request. */
  private cached(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory | undefined): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    let cachedFactory = this.factories.get(appId);
    if (!cachedFactory && factory) {
      cachedFactory = new CachingConnectorFactory(appId, factory, this.connectorClients);
      this.factories.set(appId, cachedFactory);
    }
    return cachedFactory ?? new CachingConnectorFactory(appId, undefined, this.connectorClients);
  }
}

/** Connector clients by (app, audience, serviceUrl), shared by every request of that app. */
class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly appId: string,
    private readonly factory: ConnectorFactory | undefined,
    private readonly clients: Map<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${this.appId}\n${audience ?? ''}\n${serviceUrl}`;
    let client = this.clients.get(key);
    if (!client) {
      if (!this.factory) return Promise.reject(new Error('no connector factory for this request'));
      if (this.clients.size >= maxCachedClients) this.clients.delete(this.clients.keys().next().value!);
      client = this.factory.create(serviceUrl, audience);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }
}

/** The bot's own app id, found as the SDK finds it: the audience of a channel's token, the appid claim of the Emulator's. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}
