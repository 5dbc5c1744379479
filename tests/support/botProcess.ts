import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDiscordDouble, type DiscordDouble, type DiscordDoubleOptions } from './discord-double.js';
import { PROJECT_ROOT } from './runCli.js';

export interface BotProcess {
  child: ChildProcess;
  dataDir: string;
  /** Everything the bot wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines from stdout. */
  logs(): Record<string, unknown>[];
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** How npm exited: its code, or the signal that ended it (npm re-raises the signal its child got). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to npm (as a process manager sends), then SIGKILL to the group after a grace period. Safe to call twice. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface BotProcessOptions {
  dataDir?: string;
  /** The npm script that starts it: `start` (tsx, the default) or `start:prod` (the build in dist/). */
  script?: 'start' | 'start:prod';
  /** The package directory it runs from: the project by default, or an installed copy (see compiledBot.ts). */
  packageDir?: string;
}

/**
 * Starts the bot exactly as a user does, `npm start` (or `npm run start:prod`), in its own process group so that
 * stopping it stops npm, tsx and node together. The environment is only what the test gives (plus PATH and HOME).
 */
export function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}): BotProcess {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ml-career-bot-e2e-'));
  const child = spawn('npm', ['run', options.script ?? 'start', '--silent'], {
    cwd: options.packageDir ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'info', DISCORD_GUILD_ID: '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
    listeners.forEach((notify) => notify());
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  // npm may exit before the bot under it: the output pipes close only when every process holding them is gone.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));

  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const signal = (name: NodeJS.Signals, target: 'process' | 'group') => {
    try {
      process.kill(target === 'group' ? -child.pid! : child.pid!, name);
    } catch {
      // Already gone.
    }
  };

  return {
    child,
    dataDir,
    output: () => output,
    logs,
    exited,
    waitForLog(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs().find(predicate);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; output so far:\n${output.slice(-3000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signal('SIGTERM', 'process');
        const timer = setTimeout(() => signal('SIGKILL', 'group'), 8_000);
        await Promise.all([exited, closed]);
        clearTimeout(timer);
      }
      signal('SIGKILL', 'group');
      return exited;
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A Discord double and the bot started against it, ready: logged in and its commands registered. */
export interface BotAgainstDouble {
  discord: DiscordDouble;
  /** Replaceable, for restarts; `stop()` stops whichever bot is here. */
  bot: BotProcess;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startBotAgainstDouble(options: DiscordDoubleOptions = {}, bot: Omit<BotProcessOptions, 'dataDir'> = {}): Promise<BotAgainstDouble> {
  const discord = await startDiscordDouble(options);
  const env = { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl };
  const running: BotAgainstDouble = {
    discord,
    bot: startBotProcess(env, bot),
    env,
    async stop() {
      await running.bot.stop();
      await discord.close();
      removeDataDir(running.bot.dataDir);
    },
  };
  try {
    await discord.waitForReady({ timeoutMs: 30_000 });
    await discord.waitForRequest({ method: 'PUT', path: /^\/applications\/\d+\/(guilds\/\d+\/)?commands$/ }, { timeoutMs: 15_000 });
  } catch (error) {
    await running.stop();
    throw new Error(`the bot did not come up against the double: ${(error as Error).message}\n${running.bot.output().slice(-3000)}`, { cause: error });
  }
  return running;
}
