import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { TeamsSettings } from '../../config.js';
import { errorSummary } from '../../error-summary.js';
import type { Logger } from '../../logger.js';
import type { SafeguardingTeamsBot } from './teams-bot.js';

/**
 * The Bot Framework adapter for Teams (and the Emulator and playground). Without an app id it
 * runs unauthenticated for local use; with one, every request needs a valid Bot Framework token.
 */
export function createBotFrameworkAdapter(settings: TeamsSettings, logger: Logger, bot: SafeguardingTeamsBot): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId ?? '',
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: settings.tenantId ?? '',
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));

  adapter.onTurnError = replyWithSafetyCard(logger, bot);
  return adapter;
}

/**
 * The turn-error handler: the error is logged without the message that caused it, and the user
 * still gets 999 and the advice lines, never silence.
 */
export function replyWithSafetyCard(logger: Logger, bot: SafeguardingTeamsBot): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    logger.error(
      { event: 'turn-error', channel: context.activity.channelId, activityType: context.activity.type, err: errorSummary(error) },
      'a turn failed',
    );
    try {
      await context.sendActivity(bot.safetyActivity());
    } catch (sendError) {
      logger.error({ event: 'safety-reply-failed', err: errorSummary(sendError) }, 'could not send the safety card');
    }
  };
}
