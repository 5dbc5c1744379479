import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Engine } from '../answering/engine.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { CommandContext, CommandModule } from './command.js';
import { Cooldown } from './cooldown.js';
import { createDispatcher } from './dispatch.js';
import { createInteractionHandler } from './interactionEvents.js';
import { registerCommands } from './registration.js';
import { NO_MENTIONS } from './reply.js';

/** Members may ask this many questions per minute. */
export const QUESTIONS_PER_MINUTE = 5;

export interface RunningBot {
  client: Client;
  stop(): Promise<void>;
}

export interface BotOptions {
  config: Config;
  logger: Logger;
  engine: Engine;
  commands: readonly CommandModule[];
  now?: () => Date;
  random?: () => number;
}

/** Connects to Discord, registers the commands when they changed, and answers interactions until stopped. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const context: CommandContext = {
    engine: options.engine,
    commands: options.commands,
    logger,
    now,
    random: options.random ?? Math.random,
  };
  const dispatcher = createDispatcher(context, new Cooldown(QUESTIONS_PER_MINUTE, 60_000, now));
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.discordApiUrl },
    allowedMentions: NO_MENTIONS,
  });

  client.on(Events.InteractionCreate, createInteractionHandler(dispatcher, logger));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ discord: message }, 'Discord client warning'));
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, applicationId: ready.application.id, guilds: ready.guilds.cache.size }, 'connected to Discord');
    registerCommands({
      rest: client.rest,
      applicationId: ready.application.id,
      guildId: config.guildId,
      definitions: options.commands.map((c) => c.definition),
      dataDir: config.dataDir,
      logger,
    }).catch((error: unknown) => logger.error({ err: error }, 'could not register slash commands; run npm run deploy-commands to retry'));
  });

  await client.login(config.token);
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
