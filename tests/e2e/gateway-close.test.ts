import { describe, it } from 'vitest';
import { startBotAgainstDouble } from '../support/botProcess.js';

/** Close codes after which discord.js never reconnects, with what the fatal line must tell the operator. */
const FATAL_CLOSES: [code: number, advice: RegExp][] = [
  [4004, /authentication failed: .*Reset Token.*DISCORD_TOKEN/],
  [4014, /disallowed intents: .*Privileged Gateway Intents.*or start the bot again to run without it/],
  [4010, /invalid shard/],
  [4011, /sharding required/],
  [4012, /invalid API version: .*Update the bot/],
  [4013, /invalid intents/],
];

describe.concurrent('Discord closing the gateway for good while the bot runs', () => {
  it.for(FATAL_CLOSES)('%i: one fatal line naming the cause and what to do, then exit 1', async ([code, advice], { expect }) => {
    const running = await startBotAgainstDouble();
    try {
      running.discord.gateway.disconnect(code);
      const fatal = await running.bot.waitForLog((line) => line.level === 60, 10_000);
      expect(fatal).toMatchObject({ closeCode: code, msg: expect.stringMatching(new RegExp(`code ${code}, ${advice.source}`)) });
      expect(await running.bot.exited).toEqual({ code: 1, signal: null });
      await running.bot.stop();
      expect(running.bot.logs().filter((line) => (line.level as number) >= 50)).toEqual([fatal]);
    } finally {
      await running.stop();
    }
  });
});
