import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_FILE } from '../../src/storage/sqliteStore.js';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { PROJECT_ROOT } from '../support/runCli.js';

const HOLDER = fileURLToPath(new URL('../support/holdWriteLockChild.ts', import.meta.url));

let running: BotAgainstDouble;
let holder: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  running = await startBotAgainstDouble();
}, 60_000);

afterAll(async () => {
  if (holder && holder.exitCode === null && holder.signalCode === null) {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('close', resolve));
  }
  await running?.stop();
});

/** Another process takes the bot database's write lock for `holdMs`; resolves once it holds it. */
async function holdWriteLock(holdMs: number): Promise<{ release(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, join(running.bot.dataDir, DEFAULT_DATABASE_FILE), String(holdMs)], { cwd: PROJECT_ROOT });
  holder = child;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    void closed.then(() => reject(new Error(`the lock holder exited first:\n${stderr}`)));
  });
  return {
    async release() {
      child.stdin.end('release\n');
      await closed;
    },
  };
}

describe('another process holding the database write lock', () => {
  it('answers /ask and /tip within Discord’s deadline, says plainly that a setting was not saved, and records the questions after', async () => {
    const { discord } = running;
    const moderator = { user: discord.users.moderator, manageGuild: true };
    const lock = await holdWriteLock(8_000);
    const [asks, tip, setting] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => discord.slash('ask', { question: 'what is data drift' }, { user: discord.createUser() }))),
      discord.slash('tip', {}, { user: discord.createUser() }),
      discord.slash('config auto-answer', { enabled: false }, moderator),
    ]);
    // The double refuses a callback after the 3 s deadline (10062 Unknown interaction).
    for (const reply of [...asks, tip, setting]) expect(reply.accepted).toBe(true);
    for (const reply of asks) expect((await reply.waitForResponse()).embeds[0]!.title).toMatch(/drift/i);
    expect((await tip.waitForResponse()).embeds).toHaveLength(1);
    expect((await setting.waitForResponse()).content).toMatch(/^Not saved: .*Try again/);

    await lock.release();
    const stats = await (await discord.slash('kb stats', {}, moderator)).waitForResponse();
    expect(stats.embeds[0]!.fields!.find((field) => field.name === 'Questions')!.value).toBe('10 in 7 days, 10 in 30 days');
    expect((await (await discord.slash('config show', {}, moderator)).waitForResponse()).embeds[0]!.fields).toContainEqual(expect.objectContaining({ name: 'Auto-answer', value: 'on' }));
  }, 30_000);
});
