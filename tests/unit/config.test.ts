import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

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
    expect(config).toMatchObject({ token: TOKEN, guildId: undefined, logLevel: 'info', discordApiUrl: 'https://discord.com/api' });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('names every missing or invalid variable at once, never echoing values', () => {
    const found = problems({ DISCORD_TOKEN: 'Bot not-a-token', DISCORD_GUILD_ID: 'my server', LOG_LEVEL: 'loud', DISCORD_API_URL: 'ftp://x' });
    expect(found.map((p) => p.split(' ')[0])).toEqual(['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'LOG_LEVEL', 'DISCORD_API_URL']);
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

  it('treats an empty variable as unset', () => {
    expect(problems({ DISCORD_TOKEN: '  ' })).toEqual([expect.stringMatching(/^DISCORD_TOKEN is required/)]);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '' }).guildId).toBeUndefined();
  });
});

describe('logging', () => {
  it('never writes the token, whether in a field or inside a message', () => {
    let written = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: 'info', secrets: [TOKEN], destination });
    logger.info({ token: TOKEN, config: { token: TOKEN }, headers: { authorization: `Bot ${TOKEN}` } }, `login with ${TOKEN}`);
    logger.error({ err: new Error(`bad token ${TOKEN}`) }, 'failed');
    expect(written).not.toContain(TOKEN);
    expect(written).toContain('[Redacted]');
  });
});
