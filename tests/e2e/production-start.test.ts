import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { buildInstalledCopy, type InstalledCopy } from '../support/compiledBot.js';

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
    expect(existsSync(join(dist, 'src', 'main.js'))).toBe(true);
    expect(existsSync(join(dist, 'commands', 'ask.js'))).toBe(true);
    expect(existsSync(join(dist, 'src', 'answering', 'answer-model.json'))).toBe(true);
    expect(existsSync(join(dist, 'tests'))).toBe(false);
    expect(existsSync(join(dist, 'bench'))).toBe(false);
  });

  it('finds the knowledge base in the package directory, not beside the compiled modules', async () => {
    const loaded = await running!.bot.waitForLog((line) => line.msg === 'knowledge base loaded');
    expect(loaded.knowledgeDir).toBe(join(copy!.dir, 'knowledge'));
  });

  it('answers /ask from the compiled code', async () => {
    const reply = await running!.discord.slash('ask', { question: 'what is data drift' });
    expect(reply.embeds[0]!.title).toMatch(/drift/i);
  });
});
