import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runCli } from '../support/runCli.js';

const TOKEN = 'MTAxMDEwMTAxMDEwMTAxMDEw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('reads the environment with defaults', () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN });
    expect(config).toMatchObject({ token: TOKEN, guildId: undefined, logLevel: 'info', logFormat: 'json', discordApiUrl: 'https://discord.com/api' });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('names every missing or invalid variable at once, never echoing values', () => {
    const found = problems({ DISCORD_TOKEN: 'Bot not-a-token', DISCORD_GUILD_ID: 'my server', LOG_LEVEL: 'loud', LOG_FORMAT: 'fancy', DISCORD_API_URL: 'ftp://x' });
    expect(found.map((p) => p.split(' ')[0])).toEqual(['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'LOG_LEVEL', 'LOG_FORMAT', 'DISCORD_API_URL']);
    expect(found[3]).toBe('LOG_FORMAT must be json or pretty');
    expect(found.join('\n')).not.toContain('not-a-token');
  });

  it('takes a member hash key of 64 hex digits, and names a malformed one without echoing it', () => {
    const key = 'AB'.repeat(32);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, MEMBER_HASH_KEY: ` ${key} ` }).memberHashKey).toBe(key.toLowerCase());
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }).memberHashKey).toBeUndefined();
    const found = problems({ DISCORD_TOKEN: TOKEN, MEMBER_HASH_KEY: 'hunter2-hunter2' });
    expect(found).toEqual([expect.stringMatching(/^MEMBER_HASH_KEY must be 64 hex digits/)]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('takes a PostgreSQL DATABASE_URL, and names anything else without echoing it', () => {
    const url = 'postgres://bot:s3cret-passw0rd@127.0.0.1:5432/mlcareerbot';
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }).databaseUrl).toBeUndefined();
    const found = problems({ DISCORD_TOKEN: TOKEN, DATABASE_URL: 'mysql://bot:s3cret-passw0rd@db/bot' });
    expect(found).toEqual([expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL/)]);
    expect(found.join('\n')).not.toContain('s3cret');
  });

  it('takes SHARDS as auto or a number, and leaves it to discord.js inside a shard process', () => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, SHARDS: 'auto' }).shards).toBe('auto');
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, SHARDS: '4' }).shards).toBe(4);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }).shards).toBeUndefined();
    for (const wrong of ['0', 'many', '2.5']) expect(problems({ DISCORD_TOKEN: TOKEN, SHARDS: wrong })).toEqual([expect.stringMatching(/^SHARDS must be auto/)]);
    // The ShardingManager sets SHARDS to the shard's id, 0 for the first.
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, SHARDS: '0', SHARD_COUNT: '2', SHARDING_MANAGER: 'true' }).shards).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    expect(problems({ DISCORD_TOKEN: '  ' })).toEqual([expect.stringMatching(/^DISCORD_TOKEN is required/)]);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '' }).guildId).toBeUndefined();
  });
});

function capturedLogger() {
  const captured = { written: '' };
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured.written += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'info', secrets: [TOKEN], destination }), captured };
}

describe('logging', () => {
  it('never writes the token, whether in a field or inside a message', () => {
    const { logger, captured } = capturedLogger();
    logger.info({ token: TOKEN, config: { token: TOKEN }, headers: { authorization: `Bot ${TOKEN}` } }, `login with ${TOKEN}`);
    logger.error({ err: new Error(`bad token ${TOKEN}`) }, 'failed');
    expect(captured.written).not.toContain(TOKEN);
    expect(captured.written).toContain('[Redacted]');
  });

  it('logs a failed interaction call without its token or what the bot sent', () => {
    const { logger, captured } = capturedLogger();
    const interactionToken = 'aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMDpzZWNyZXQ';
    const answer = { type: 4, data: { content: 'What only the member asking should read', flags: 64 } };
    const url = `https://discord.com/api/v10/interactions/1300000000000000000/${interactionToken}/callback?with_response=false`;
    const error = new DiscordAPIError({ message: 'Invalid Form Body', code: 50035 }, 50035, 400, 'POST', url, { body: answer, files: undefined });
    logger.error({ err: error, errorId: 'abcd1234' }, 'could not answer an interaction');
    logger.warn(`follow-up failed: POST /webhooks/1200000000000000000/${interactionToken}/messages/@original`);

    expect(captured.written).not.toContain(interactionToken);
    expect(captured.written).not.toContain(answer.data.content);
    const line = JSON.parse(captured.written.split('\n')[0]!) as { err: { url: string; status: number } };
    expect(line.err).toMatchObject({ url: 'https://discord.com/api/v10/interactions/1300000000000000000/[Redacted]/callback?with_response=false', status: 400 });
    expect(captured.written).toContain('/webhooks/1200000000000000000/[Redacted]/messages/@original');
  });

  it('writes readable lines instead of JSON with LOG_FORMAT=pretty, up to the last line before an exit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ml-career-bot-pretty-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DISCORD_TOKEN: TOKEN, DATA_DIR: dataDir, KNOWLEDGE_DIR: join(dataDir, 'no-knowledge-here') };
    const pretty = await runCli('src/main.ts', [], { env: { ...env, LOG_FORMAT: 'pretty' } });
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] FATAL: /m);
    expect(pretty.stdout.split('\n').some((line) => line.startsWith('{'))).toBe(false);
    const json = await runCli('src/main.ts', [], { env });
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({ level: 60 });
  });
});
