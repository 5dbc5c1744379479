// The answer path under load on each backend: /ask through the dispatcher, the command, the server layer and the
// engine, at a steady 2,000 a minute across servers whose entries are in the store, while the question log
// writes what was asked in batches beside it. Questions arrive on a clock, whether or not earlier ones are done,
// so a slow store shows as latency and a log that cannot keep up as a growing backlog. As in the bot, the load
// starts once the engine is prepared and the servers' indexes are built from the store (its warm-up).
import { ask } from '../commands/ask.js';
import type { Engine } from '../src/answering/engine.js';
import type { CommandContext } from '../src/bot/command.js';
import { Cooldown } from '../src/bot/cooldown.js';
import { QUESTIONS_PER_MINUTE } from '../src/bot/discordBot.js';
import { createDispatcher } from '../src/bot/dispatch.js';
import type { WarmUp } from '../src/guilds/serverIndexes.js';
import type { EntryContent, Store } from '../src/storage/store.js';
import type { BenchQuestion } from './questions.js';
import { benchGuilds } from './servers.js';
import { now, percentile, round } from './stats.js';

export interface StoreLoadOptions {
  perMinute: number;
  seconds: number;
}

export interface StoreLoadResult {
  backend: string;
  servers: number;
  entriesPerServer: number;
  perMinute: number;
  /** What the bot does once connected, before the load: the servers indexed from the store, and how long it took. */
  warmUp: WarmUp;
  /** Question in (its time on the clock) to reply payload out. */
  answer: { samples: number; p50: number; p99: number; max: number };
  /** Questions recorded and not yet written, sampled every 100 ms: the most, and in the last tenth of the run. */
  questionLog: { maxWaiting: number; maxWaitingAtEnd: number; recorded: number; asked: number };
}

const SAMPLE_EVERY_MS = 100;

/** Runs the load on `store`, whose servers `guildIds` hold `entries`; closes nothing. */
export async function runStoreLoad(
  backend: string,
  store: Store,
  engine: Engine,
  servers: { guildId: string; entries: EntryContent[] }[],
  questions: readonly BenchQuestion[],
  options: StoreLoadOptions,
): Promise<StoreLoadResult> {
  const { guilds, questionLog, logger } = benchGuilds(engine, store);
  const context: CommandContext = {
    engine,
    guilds,
    commands: [ask],
    logger,
    store,
    botOwnerIds: new Set(),
    reloadKnowledge: () => Promise.reject(new Error('not in the benchmark')),
    drawStatsChart: () => Promise.reject(new Error('not in the benchmark')),
    download: () => Promise.reject(new Error('not in the benchmark')),
    now: () => new Date(),
    random: Math.random,
  };
  const dispatcher = createDispatcher(context, new Cooldown(QUESTIONS_PER_MINUTE, 60_000));
  engine.prepare();
  const warmUp = await guilds.warmUp();

  const total = Math.round((options.perMinute * options.seconds) / 60);
  const intervalMs = 60_000 / options.perMinute;
  const samples: number[] = [];
  const waiting: number[] = [];
  const sampler = setInterval(() => waiting.push(questionLog.waiting), SAMPLE_EVERY_MS);
  const started = now();
  const answered: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { guildId, entries } = servers[i % servers.length]!;
    // Questions about the shared knowledge base and about the server's own entries, in turn.
    const text = i % 2 === 0 ? questions[(i / 2) % questions.length]!.question : (entries[i % entries.length]!.questions[0] ?? entries[i % entries.length]!.title);
    const invoker = { userId: String(500_000_000_000_000_000n + BigInt(i)), username: 'bench', guildId, channelId: guildId, canManageServer: false };
    answered.push(
      dispatcher.run({ name: 'ask', options: { question: text }, invoker }).then((reply) => {
        if (!reply.embeds?.length) throw new Error(`no answer: ${JSON.stringify(reply)}`);
        samples.push(now() - due);
      }),
    );
  }
  await Promise.all(answered);
  clearInterval(sampler);
  await questionLog.stop();
  const at = new Date();
  let recorded = 0;
  for (const { guildId } of servers) recorded += (await store.recentQuestions(guildId, at)).length;
  return {
    backend,
    servers: servers.length,
    entriesPerServer: servers[0]?.entries.length ?? 0,
    perMinute: options.perMinute,
    warmUp,
    answer: { samples: samples.length, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3), max: round(Math.max(...samples), 3) },
    questionLog: { maxWaiting: Math.max(0, ...waiting), maxWaitingAtEnd: Math.max(0, ...waiting.slice(-Math.ceil(waiting.length / 10))), recorded, asked: total },
  };
}
