// `npm start`: the bot, in one process; or with SHARDS set, a manager of shard processes, each this same program.
// Configuration from the environment and .env; see .env.example.
import { Cron } from 'croner';
import { loadEngineCached, type EngineCacheEvent } from './answering/engineCache.js';
import { ReloadableEngine } from './answering/reloadableEngine.js';
import { COMMANDS } from '../commands/index.js';
import { startBot } from './bot/discordBot.js';
import { ConfigError, isShardProcess, loadConfig, type Config } from './config.js';
import { KnowledgeError } from './knowledge/validation.js';
import { createLogger, type Logger } from './logger.js';
import { startShards } from './sharding/manager.js';
import { shardProcess } from './sharding/shard.js';
import { QuestionLog } from './storage/questionLog.js';
import { openStore } from './storage/openStore.js';
import type { Store } from './storage/store.js';
import { StoreError } from './storage/storeError.js';

async function main(): Promise<void> {
  const config = configOrExit();
  const rootLogger = createLogger({ level: config.logLevel, format: config.logFormat, secrets: secretsOf(config) });
  if (config.shards !== undefined && !isShardProcess()) return manageShards(config, rootLogger);
  const shard = isShardProcess() ? shardProcess() : undefined;
  const logger = shard ? rootLogger.child({ shard: shard.id }) : rootLogger;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  // The index is saved in DATA_DIR and reused while the knowledge files are unchanged: a fast start.
  const load = () => loadEngineCached({ knowledgeDir: config.knowledgeDir, dataDir: config.dataDir, onEvent: (event) => logIndexEvent(logger, event) });
  const engine = new ReloadableEngine(await orExit(logger, load, 'the knowledge base has problems'), load);
  const { knowledge } = engine.current;
  logger.info({ passages: knowledge.passages.length, tips: knowledge.tips.length, knowledgeDir: config.knowledgeDir }, 'knowledge base loaded');
  const store = await orExit(logger, () => openStore(config, logger), 'cannot open the database');

  const questionLog = new QuestionLog(store, logger);

  const bot = await orExit(logger, () => startBot({ config, logger, engine, store, questionLog, commands: COMMANDS, ...(shard ? { shard } : {}) }), 'could not connect to Discord; check DISCORD_TOKEN and the network');
  // One process purges for all: the first shard, or the only process.
  const purges = !shard || shard.id === 0;
  const purge = new Cron('17 * * * *', { paused: !purges }, () => purgeExpiredQuestions(store, logger));
  if (purges) void purgeExpiredQuestions(store, logger);
  const shutdown = shutdownOnce(logger, async () => {
    purge.stop();
    await bot.stop();
    await questionLog.stop();
    await store.close();
  });
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  shard?.onManagerGone(() => shutdown('the shard manager is gone', 1));
  // Exits non-zero so that a process manager (or the shard manager) restarts the bot or alerts someone.
  void bot.gatewayLost.then(({ code, explanation }) => {
    logger.fatal({ closeCode: code }, explanation);
    shutdown('gateway closed', 1);
  });
}

/** What the logs must never show: the token, the member hash key, the database password. */
function secretsOf(config: Config): string[] {
  const password = config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).password) : '';
  return [config.token, config.memberHashKey ?? '', password].filter(Boolean);
}

/**
 * SHARDS: this process starts and watches the shards, and holds neither the knowledge base nor the store. The
 * database is opened (and migrated) once first, so that a problem with it is one message, not one per shard.
 */
async function manageShards(config: Config, logger: Logger): Promise<void> {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  if (config.databaseUrl === undefined) {
    logger.warn('SHARDS without DATABASE_URL: the shards share one SQLite file, taking turns to write; set DATABASE_URL to a PostgreSQL database for shards');
  }
  await (await orExit(logger, () => openStore(config, logger), 'cannot open the database')).close();
  const shards = await orExit(logger, () => startShards(config, logger, process.argv[1]!), 'could not start the shards');
  const shutdown = shutdownOnce(logger, () => shards.stop());
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
}

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Runs a start-up step; a failure the user can fix is logged with its explanation and stops the bot. */
async function orExit<T>(logger: Logger, step: () => Promise<T>, explanation: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof KnowledgeError) logger.fatal({ problems: error.problems }, `${explanation}:\n${error.message}`);
    else if (error instanceof StoreError) logger.fatal(`${explanation}: ${error.message}`);
    else logger.fatal({ err: error }, explanation);
    process.exit(1);
  }
}

function logIndexEvent(logger: Logger, event: EngineCacheEvent): void {
  if (event.type === 'save-failed') logger.warn({ file: event.file, err: event.error }, 'could not save the search index; the next start builds it again');
  else logger.info(event, `search index ${event.type}`);
}

async function purgeExpiredQuestions(store: Store, logger: Logger): Promise<void> {
  try {
    const purged = await store.purgeExpiredQuestions(new Date());
    if (purged > 0) logger.info({ purged }, 'deleted question texts past their retention');
  } catch (error) {
    logger.error({ err: error }, 'could not purge expired questions');
  }
}

/** Stops once, however many signals or failures ask for it, and exits with the code the first one gave. */
function shutdownOnce(logger: Logger, stop: () => Promise<void>): (reason: string, exitCode: number) => void {
  let stopping = false;
  return (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
}

await main();
