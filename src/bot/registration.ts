import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../logger.js';

export const REGISTRATION_FILE = 'registered-commands.json';

const registrationRecord = z.object({ scope: z.string(), hash: z.string(), registeredAt: z.string() });

export interface RegistrationTarget {
  rest: REST;
  applicationId: string;
  /** A development server registers instantly; without it, commands are global. */
  guildId: string | undefined;
  definitions: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  dataDir: string;
  logger: Logger;
}

export function registrationScope(applicationId: string, guildId: string | undefined): string {
  return guildId ? `application ${applicationId}, server ${guildId}` : `application ${applicationId}, global`;
}

export function definitionsHash(definitions: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/**
 * Registers the slash commands when their definitions (or the scope) changed since the last registration,
 * or always when forced. Discord rate-limits registration, so unchanged commands are not sent again.
 */
export async function registerCommands(target: RegistrationTarget, options: { force?: boolean } = {}): Promise<'registered' | 'unchanged'> {
  const scope = registrationScope(target.applicationId, target.guildId);
  const hash = definitionsHash(target.definitions);
  const file = join(target.dataDir, REGISTRATION_FILE);
  const previous = await readRecord(file, target.logger);
  if (!options.force && previous?.scope === scope && previous.hash === hash) {
    target.logger.info({ scope }, 'slash commands unchanged; not registering again');
    return 'unchanged';
  }
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  await target.rest.put(route, { body: target.definitions });
  await mkdir(target.dataDir, { recursive: true });
  const record: z.infer<typeof registrationRecord> = { scope, hash, registeredAt: new Date().toISOString() };
  await writeFile(`${file}.tmp`, JSON.stringify(record, null, 2));
  await rename(`${file}.tmp`, file);
  target.logger.info({ scope, commands: target.definitions.map((d) => d.name) }, 'slash commands registered');
  return 'registered';
}

async function readRecord(file: string, logger: Logger): Promise<z.infer<typeof registrationRecord> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return registrationRecord.parse(JSON.parse(text));
  } catch {
    logger.warn({ file }, 'registration record unreadable; registering commands again');
    return undefined;
  }
}
