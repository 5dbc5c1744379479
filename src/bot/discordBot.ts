import { Client, Events, GatewayIntentBits, ShardClientUtil } from 'discord.js';
import type { ReloadableEngine } from '../answering/reloadableEngine.js';
import { drawStatsChart } from '../charts/offThread.js';
import type { Config } from '../config.js';
import { ALONE, type ChangeFeed } from '../guilds/changes.js';
import { createGuilds } from '../guilds/guilds.js';
import type { DiscordAccess } from '../guilds/settings.js';
import type { Logger } from '../logger.js';
import type { QuestionLog } from '../storage/questionLog.js';
import { TipScheduler } from '../scheduling/tipScheduler.js';
import type { Store } from '../storage/store.js';
import { downloadAttachment } from './attachments.js';
import { AutoAnswerer } from './autoAnswers.js';
import type { CommandContext, CommandModule } from './command.js';
import { Cooldown } from './cooldown.js';
import { discordAccess } from './discordAccess.js';
import { createDispatcher } from './dispatch.js';
import { gatewayLoss, type GatewayLoss } from './gatewayClose.js';
import { createInteractionHandler } from './interactionEvents.js';
import { createMessageHandler } from './messageEvents.js';
import { registerCommands } from './registration.js';
import { NO_MENTIONS } from './reply.js';
import { discordTipChannel } from './tipChannel.js';

/** Members may ask this many questions per minute. */
export const QUESTIONS_PER_MINUTE = 5;

const BASE_INTENTS = [GatewayIntentBits.Guilds];
/** Answering in channels needs the messages and their content; Message Content is privileged. */
const MESSAGE_INTENTS = [...BASE_INTENTS, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

export interface RunningBot {
  client: Client;
  /** Whether Discord granted the Message Content intent, without which only slash commands work. */
  readsMessages: boolean;
  discord: DiscordAccess;
  /** Resolves if Discord closes the gateway for good (a revoked token, an intent turned off): the bot will never answer again. */
  gatewayLost: Promise<GatewayLoss>;
  stop(): Promise<void>;
}

export interface BotOptions {
  config: Config;
  logger: Logger;
  engine: ReloadableEngine;
  store: Store;
  questionLog: QuestionLog;
  commands: readonly CommandModule[];
  /** This process as one of several shards: which it is of how many, and how the others hear of its changes. */
  shard?: { id: number; count: number; changes: ChangeFeed };
  now?: () => Date;
  random?: () => number;
}

/**
 * Connects to Discord, registers the commands when they changed, and answers interactions (and, with the
 * Message Content intent, questions in watched channels) until stopped.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  let client: Client | undefined;
  let readsMessages = true;
  const { shard } = options;
  const changes = shard?.changes ?? ALONE;
  const tips = new TipScheduler({
    store: options.store,
    engine: () => options.engine.current,
    channel: discordTipChannel(() => client),
    logger,
    now,
    ...(options.random ? { random: options.random } : {}),
    // Each shard posts the tips of its own servers; the database claim keeps any other from posting one twice.
    ownsGuild: (guildId) => !shard || ShardClientUtil.shardIdForGuildId(guildId, shard.count) === shard.id,
    onSettingsChanged: (guildId) => guilds.settings.changed(guildId),
  });

  const discord = discordAccess(
    () => client,
    () => readsMessages,
  );
  const guilds = createGuilds({
    engine: () => options.engine.current,
    store: options.store,
    questionLog: options.questionLog,
    discord,
    dailyTips: {
      refresh: (guildId) => void tips.refresh(guildId).catch((error: unknown) => logger.error({ err: error, guildId }, 'could not reschedule daily tips')),
    },
    logger,
    now,
    changes,
  });
  // The servers' indexes, built before their first questions: once connected, and again for a reloaded engine.
  const stopping = new AbortController();
  let warmUps: Promise<unknown> = Promise.resolve();
  const warmUp = (connected: Client) => {
    warmUps = Promise.all([warmUps, guilds.warmUp({ serves: (guildId) => connected.guilds.cache.has(guildId), signal: stopping.signal })]);
  };
  const reload = async () => {
    const result = await options.engine.reload();
    if (result.ok && client) warmUp(client);
    return result;
  };
  const reloadKnowledge = async () => {
    const result = await reload();
    if (result.ok) changes.publish({ kind: 'knowledge-base' });
    return result;
  };
  changes.subscribe((change) => {
    // Tips set through another shard are posted by the shard their server is on.
    if (change.kind === 'settings') {
      tips.refresh(change.guildId).catch((error: unknown) => logger.error({ err: error, guildId: change.guildId }, 'could not reschedule daily tips'));
    } else if (change.kind === 'knowledge-base') {
      reload().then(
        (result) => logger.info({ ok: result.ok }, 'knowledge base reloaded, as another shard did'),
        (error: unknown) => logger.error({ err: error }, 'could not reload the knowledge base as another shard did'),
      );
    }
  });
  const context: CommandContext = {
    get engine() {
      return options.engine.current;
    },
    guilds,
    commands: options.commands,
    logger,
    store: options.store,
    botOwnerIds: new Set(config.botOwnerIds),
    reloadKnowledge,
    drawStatsChart,
    download: downloadAttachment,
    now,
    random: options.random ?? Math.random,
  };
  const onInteraction = createInteractionHandler(createDispatcher(context, new Cooldown(QUESTIONS_PER_MINUTE, 60_000, now)), logger);
  const onMessage = createMessageHandler(new AutoAnswerer(guilds, options.store, now), logger);

  const connect = async (intents: GatewayIntentBits[]) => {
    const created = new Client({ intents, rest: { api: config.discordApiUrl }, allowedMentions: NO_MENTIONS });
    created.on(Events.InteractionCreate, onInteraction);
    created.on(Events.MessageCreate, onMessage);
    created.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
    created.on(Events.Warn, (message) => logger.warn({ discord: message }, 'Discord client warning'));
    created.once(Events.ClientReady, (ready) => {
      logger.info({ user: ready.user.tag, applicationId: ready.application.id, guilds: ready.guilds.cache.size, readsMessages, pid: process.pid }, 'connected to Discord');
      warmUp(ready);
      // The commands are the application's, not a shard's: the first shard registers them for all.
      if (shard && shard.id !== 0) return;
      registerCommands({
        rest: created.rest,
        applicationId: ready.application.id,
        guildId: config.guildId,
        definitions: options.commands.map((c) => c.definition),
        dataDir: config.dataDir,
        logger,
      }).catch((error: unknown) => logger.error({ err: error }, 'could not register slash commands; run npm run deploy-commands to retry'));
    });
    await created.login(config.token);
    return created;
  };

  // Between the gateway's round trips, not in the first member's wait.
  setImmediate(() => {
    try {
      options.engine.current.prepare();
    } catch (error) {
      logger.error({ err: error }, 'could not prepare the answer model');
    }
  });
  try {
    client = await connect(MESSAGE_INTENTS);
  } catch (error) {
    if (!(error instanceof Error) || !/disallowed intents/i.test(error.message)) throw error;
    readsMessages = false;
    logger.warn(
      'the Message Content intent is not enabled for this bot, so it cannot answer questions in channels; slash commands work. ' +
        'Enable it under Bot → Privileged Gateway Intents in the Discord developer portal, then restart.',
    );
    client = await connect(BASE_INTENTS);
  }
  const gatewayLost = gatewayLoss(client);
  await tips.start();
  logger.info('daily tips scheduled');

  return {
    client,
    readsMessages,
    discord,
    gatewayLost,
    async stop() {
      stopping.abort();
      tips.stop();
      await client?.destroy();
      // A warm-up stops between servers: its last read ends before the store closes.
      await warmUps;
    },
  };
}
