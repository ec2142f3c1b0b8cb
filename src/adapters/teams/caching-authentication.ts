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

  private cached(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory | undefined): ConnectorFactory {
    const clients = this.connectorClients;
    const appId = appIdOf(claimsIdentity);
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        if (!factory) return Promise.reject(new Error('no connector factory for this request'));
        const key = `${appId}\n${audience ?? ''}\n${serviceUrl}`;
        let client = clients.get(key);
        if (!client) {
          if (clients.size >= maxCachedClients) clients.delete(clients.keys().next().value!);
          client = factory.create(serviceUrl, audience);
          clients.set(key, client);
          client.catch(() => clients.delete(key));
        }
        return client;
      }
    })();
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
