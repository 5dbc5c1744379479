// `npm start`: the bot. Configuration from the environment and .env; see .env.example.
import { loadEngine } from './answering/engine.js';
import { startBot, type RunningBot } from './bot/discordBot.js';
import { COMMANDS } from './bot/commandList.js';
import { ConfigError, loadConfig } from './config.js';
import { KnowledgeError } from './knowledge/validation.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, secrets: [config.token] });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  let engine;
  try {
    engine = await loadEngine(config.knowledgeDir);
  } catch (error) {
    if (!(error instanceof KnowledgeError)) throw error;
    logger.fatal({ problems: error.problems }, `the knowledge base has problems:\n${error.message}`);
    process.exit(1);
  }
  logger.info({ passages: engine.knowledge.passages.length, tips: engine.tips.length, knowledgeDir: config.knowledgeDir }, 'knowledge base loaded');

  let bot: RunningBot;
  try {
    bot = await startBot({ config, logger, engine, commands: COMMANDS });
  } catch (error) {
    logger.fatal({ err: error }, 'could not connect to Discord; check DISCORD_TOKEN and the network');
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
