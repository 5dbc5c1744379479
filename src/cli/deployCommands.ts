// `npm run deploy-commands`: registers the slash commands now, whether or not they changed.
import { REST, Routes, type RESTGetCurrentApplicationResult } from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import { registerCommands } from '../bot/registration.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, secrets: [config.token] });
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.token);
  try {
    const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
    await registerCommands(
      { rest, applicationId: application.id, guildId: config.guildId, definitions: COMMANDS.map((c) => c.definition), dataDir: config.dataDir, logger },
      { force: true },
    );
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'could not register the slash commands');
    return 1;
  }
}

process.exitCode = await main();
