import { Events, GatewayCloseCodes, type Client } from 'discord.js';

/**
 * What to do after Discord closed the gateway with a code discord.js does not reconnect from: without a person
 * acting, the bot would stay up with no connection and never answer again.
 */
const ADVICE: Partial<Record<number, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'authentication failed: the bot token was reset or revoked. Reset Token on the Bot page of the Discord developer portal, put the new token in DISCORD_TOKEN and start the bot again',
  [GatewayCloseCodes.InvalidShard]: 'invalid shard: Discord refused the shard the bot connected as. Start the bot again; if it happens again, report it',
  [GatewayCloseCodes.ShardingRequired]:
    'sharding required: the bot is in more servers than one connection may serve (2,500), and it runs a single shard. Remove it from some servers',
  [GatewayCloseCodes.InvalidAPIVersion]:
    'invalid API version: Discord no longer accepts the gateway version of this discord.js. Update the bot (npm ci after pulling a newer version) and start it again',
  [GatewayCloseCodes.InvalidIntents]: 'invalid intents: Discord did not accept the intents the bot asked for. Update the bot; if it happens again, report it',
  [GatewayCloseCodes.DisallowedIntents]:
    'disallowed intents: the Message Content intent was turned off for this bot. Enable it under Bot → Privileged Gateway Intents in the Discord developer portal, ' +
    'or start the bot again to run without it (slash commands only, no answers in channels)',
};

export interface GatewayLoss {
  code: number;
  /** One line naming the cause and what to do. */
  explanation: string;
}

/** Resolves if Discord closes the gateway for good; discord.js resumes by itself after any other close. */
export function gatewayLoss(client: Client): Promise<GatewayLoss> {
  return new Promise((resolve) => client.once(Events.ShardDisconnect, ({ code }) => resolve({ code, explanation: explainFatalClose(code) })));
}

function explainFatalClose(code: number): string {
  return `Discord closed the gateway connection with code ${code}, ${ADVICE[code] ?? 'and the bot cannot reconnect. Start it again'}.`;
}
