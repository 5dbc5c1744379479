import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';

let running: BotAgainstDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble();
}, 60_000);

afterAll(() => running?.stop());

describe('a burst of interactions', () => {
  it('acknowledges every one within Discord’s deadline, those that arrive late at once, and answers them all', async () => {
    const { discord } = running;
    // Every third reaches the bot 1.5 s after Discord created it, with half its time already gone.
    const burst = Array.from({ length: 300 }, (_, i) => ({ late: i % 3 === 0, user: discord.createUser() }));
    const results = await Promise.all(
      burst.map(({ late, user }) => discord.slash('ask', { question: 'what is data drift' }, { user, ...(late ? { ageMs: 1_500 } : {}) })),
    );
    // The double refuses a callback after the 3 s deadline (10062 Unknown interaction).
    expect(results.map((result) => result.status).filter((status) => status !== 204)).toEqual([]);
    expect(results.filter((_, i) => burst[i]!.late).map((result) => result.type)).toEqual(Array(100).fill(5));
    const answers = await Promise.all(results.map((result) => result.waitForResponse({ timeoutMs: 15_000 })));
    for (const answer of answers) expect(answer.embeds[0]!.title).toMatch(/drift/i);
  }, 30_000);
});
