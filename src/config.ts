import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { DEFAULT_KNOWLEDGE_DIR } from './knowledge/documents.js';
import { LOG_FORMATS, type LogFormat } from './logger.js';
import { MEMBER_HASH_KEY_PATTERN } from './storage/memberHashKey.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'is required: the bot token from the Bot page of the Discord developer portal' })
    .trim()
    .min(1, 'is required: the bot token from the Bot page of the Discord developer portal')
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'does not look like a bot token (three parts separated by dots, without "Bot " or quotes)'),
  DISCORD_GUILD_ID: snowflake.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be ${LOG_FORMATS.join(' or ')}` }).default('json'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' }).default('https://discord.com/api'),
  KNOWLEDGE_DIR: z.string().trim().min(1).default(DEFAULT_KNOWLEDGE_DIR),
  BOT_OWNER_IDS: z
    .string()
    .default('')
    .transform((ids) => ids.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(snowflake)),
  SHARDS: z
    .string()
    .regex(/^(auto|[1-9]\d{0,3})$/, 'must be auto (as many shards as Discord recommends) or a number of shards, 1 or more')
    .transform((shards) => (shards === 'auto' ? shards : Number(shards)))
    .optional(),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL such as postgres://bot:password@127.0.0.1:5432/mlcareerbot' })
    .optional(),
  MEMBER_HASH_KEY: z
    .string()
    .trim()
    .toLowerCase()
    .regex(MEMBER_HASH_KEY_PATTERN, 'must be 64 hex digits (32 random bytes, e.g. from `openssl rand -hex 32`)')
    .optional(),
});

export interface Config {
  token: string;
  guildId: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** JSON lines for machines (the default), or readable lines for a person at a terminal. */
  logFormat: LogFormat;
  dataDir: string;
  discordApiUrl: string;
  knowledgeDir: string;
  /** Discord user ids allowed to reload the knowledge base. */
  botOwnerIds: string[];
  /** The key behind member hashes, instead of the key file in the data directory. */
  memberHashKey: string | undefined;
  /** PostgreSQL instead of the SQLite file in the data directory: for shards in several processes. */
  databaseUrl: string | undefined;
  /** Run as a manager of this many shard processes ('auto': as Discord recommends); unset, one process. */
  shards: 'auto' | number | undefined;
}

/** Every problem with the environment, found at once, naming the variables but never their values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot cannot start; fix these settings in the environment or .env (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Whether this process is a shard spawned by the bot's shard manager (see src/sharding). */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER !== undefined;
}

/** Reads configuration from the environment (and `.env`, which never overrides the real environment). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadDotenv({ quiet: true });
  const emptyAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  // In a shard process, discord.js's ShardingManager has set SHARDS to the shard's own id.
  if (isShardProcess(env)) delete emptyAsUnset.SHARDS;
  const result = envSchema.safeParse(emptyAsUnset);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const parsed = result.data;
  return {
    token: parsed.DISCORD_TOKEN,
    guildId: parsed.DISCORD_GUILD_ID,
    logLevel: parsed.LOG_LEVEL,
    logFormat: parsed.LOG_FORMAT,
    dataDir: resolve(parsed.DATA_DIR),
    discordApiUrl: parsed.DISCORD_API_URL.replace(/\/+$/, ''),
    knowledgeDir: resolve(parsed.KNOWLEDGE_DIR),
    botOwnerIds: parsed.BOT_OWNER_IDS,
    memberHashKey: parsed.MEMBER_HASH_KEY,
    databaseUrl: parsed.DATABASE_URL,
    shards: parsed.SHARDS,
  };
}
