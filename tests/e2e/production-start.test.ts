import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { buildInstalledCopy, type InstalledCopy } from '../support/compiledBot.js';

/** Preloaded into a bot process: prints the CommonJS files (every package here) it loaded, when it exits. */
const PRINT_LOADED_FILES = `data:text/javascript,import Module from 'node:module'; process.on('exit', () => process.stdout.write(JSON.stringify(Object.keys(Module._cache))));`;

let copy: InstalledCopy | undefined;
let running: BotAgainstDouble | undefined;

beforeAll(async () => {
  copy = await buildInstalledCopy();
  running = await startBotAgainstDouble({}, { script: 'start:prod', packageDir: copy.dir });
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await copy?.remove();
});

describe('the production start: npm run build, then npm run start:prod', () => {
  it('builds the bot alone, with the JSON its code imports, and not the tests or the benchmark', () => {
    const dist = join(copy!.dir, 'dist');
    expect(existsSync(join(dist, 'bundle', 'main.js'))).toBe(true);
    expect(existsSync(join(dist, 'bundle', 'statsChartWorker.js'))).toBe(true);
    expect(existsSync(join(dist, 'commands', 'ask.js'))).toBe(true);
    expect(existsSync(join(dist, 'src', 'answering', 'answer-model.json'))).toBe(true);
    expect(existsSync(join(dist, 'tests'))).toBe(false);
    expect(existsSync(join(dist, 'bench'))).toBe(false);
  });

  it('finds the knowledge base in the package directory, not beside the compiled modules', async () => {
    const loaded = await running!.bot.waitForLog((line) => line.msg === 'knowledge base loaded');
    expect(loaded.knowledgeDir).toBe(join(copy!.dir, 'knowledge'));
  });

  it('starts without the packages that only parsing the knowledge files or pretty logs need', async () => {
    // Without DISCORD_TOKEN it stops at reading its settings, when every module it imports is loaded.
    const loaded = await new Promise<string[]>((resolve) =>
      execFile(process.execPath, ['--import', PRINT_LOADED_FILES, 'dist/bundle/main.js'], { cwd: copy!.dir, env: { PATH: process.env.PATH } }, (_error, stdout) =>
        resolve(JSON.parse(stdout) as string[]),
      ),
    );
    const packages = new Set(loaded.map((file) => /[\\/]node_modules[\\/]([^\\/]+)/.exec(file)?.[1]));
    // The bundle holds discord.js and the rest; only native add-ons come from node_modules.
    expect(packages).toContain('better-sqlite3');
    expect(packages).not.toContain('discord.js');
    expect(packages).not.toContain('yaml');
    expect(packages).not.toContain('pino-pretty');
  });

  it('answers /ask from the compiled code', async () => {
    const reply = await running!.discord.slash('ask', { question: 'what is data drift' });
    expect(reply.embeds[0]!.title).toMatch(/drift/i);
  });

  it('draws the chart of /kb stats in its compiled worker', async () => {
    const { discord } = running!;
    const shown = await (await discord.slash('kb stats', {}, { user: discord.createUser(), manageGuild: true })).waitForResponse();
    expect(shown.attachments.map((a) => a.filename)).toEqual(['knowledge-base-stats.png']);
  });
});
