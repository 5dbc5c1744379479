// Servers' own entries at scale: many servers with their own FAQ beside the shared knowledge base. Entries are
// synthetic sections (bench/corpus.ts) dealt out to servers; every server is indexed, then questions are
// timed question in to reply payload out, and entries are added and asked about at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { Engine } from '../src/answering/engine.js';
import { answerReply } from '../src/bot/answerReply.js';
import { createGuilds, type Guilds } from '../src/guilds/guilds.js';
import { INDEXED_ENTRIES_BUDGET } from '../src/guilds/serverIndexes.js';
import type { EntryDraft } from '../src/guilds/entries.js';
import type { KnowledgeFiles } from '../src/knowledge/loader.js';
import { parseKnowledge } from '../src/knowledge/loader.js';
import type { KnowledgeBase } from '../src/knowledge/schema.js';
import { QuestionLog } from '../src/storage/questionLog.js';
import { openSqliteStore } from '../src/storage/sqliteStore.js';
import { ENTRY_LIMITS, type EntryContent, type Store } from '../src/storage/store.js';
import { random, syntheticKnowledge } from './corpus.js';
import type { BenchQuestion } from './questions.js';
import { memory, now, percentile, round, type Memory } from './stats.js';

export interface ServerBenchOptions {
  servers: number;
  entriesPerServer: number;
  seed: number;
  /** Servers whose questions are timed, and entries added (one per server, each asked about at once). */
  timedServers: number;
}

export interface ServerBenchResult {
  servers: number;
  entriesPerServer: number;
  /** Writing every server's entries to the store (SQLite, one transaction per server). */
  storeMs: number;
  /** Every server's first question after a start, which indexes its entries: also what a server pays when asked after its index was let go. */
  indexMs: { total: number; p50: number; p99: number };
  /** The servers whose indexes the bot keeps (the most recently asked, within INDEXED_ENTRIES_BUDGET entries). */
  keptServers: number;
  /** Before any server was indexed, and once every server was asked; and what one kept server's index takes. */
  memoryBefore: Memory;
  memory: Memory;
  perKeptServerMB: number;
  /** Question in (through the server layer, recorded), reply payload out, in servers with their entries. */
  answer: { samples: number; p50: number; p99: number; max: number; answeredFromEntries: number };
  /** Adding an entry (validated, stored, indexed again) until a question about it is answered from it. */
  addAndAnswer: { samples: number; p50: number; p99: number; max: number; answeredFromNew: number };
}

/**
 * Entries for `count` servers: synthetic sections (titles as headings, their text as answers, other
 * synthetic questions as phrasings), distinct titles within a server, the same seed giving the same entries.
 */
export function syntheticServerEntries(real: KnowledgeBase, files: KnowledgeFiles, count: number, perServer: number, seed: number): EntryContent[][] {
  const rand = random(seed);
  const pool = parseKnowledge(syntheticKnowledge(real, files, Math.max(2000, Math.min(20_000, count * perServer)), seed).files).passages.filter(
    (p) => p.heading && !real.passages.some((r) => r.id === p.id),
  );
  const questions = pool.map((p) => p.heading.toLowerCase()).filter((h) => h.endsWith('?'));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  return Array.from({ length: count }, () => {
    const titles = new Set<string>();
    const entries: EntryContent[] = [];
    while (entries.length < perServer) {
      const passage = pick(pool);
      const title = passage.heading.slice(0, ENTRY_LIMITS.title).trim();
      if (titles.has(title.toLowerCase())) continue;
      titles.add(title.toLowerCase());
      entries.push({
        title,
        questions: Array.from({ length: Math.floor(rand() * 4) }, () => pick(questions).slice(0, ENTRY_LIMITS.question)),
        answer: passage.text.slice(0, ENTRY_LIMITS.answer),
        link: rand() < 0.3 ? `https://example.org/faq/${entries.length}` : null,
      });
    }
    return entries;
  });
}

/** The server layer over `store`, as the bot makes it, with a question log and no Discord, logging nothing. */
export function benchGuilds(engine: Engine, store: Store): { guilds: Guilds; questionLog: QuestionLog; logger: Logger } {
  const logger = pino({ level: 'silent' });
  const questionLog = new QuestionLog(store, logger);
  const guilds = createGuilds({
    engine: () => engine,
    store,
    questionLog,
    discord: { channelAccess: () => ({ ok: true, forum: false }), forumTags: () => [], readsMessages: () => true },
    dailyTips: { refresh: () => undefined },
    logger,
    now: () => new Date(),
  });
  return { guilds, questionLog, logger };
}

export async function runServerBench(engine: Engine, entries: EntryContent[][], questions: readonly BenchQuestion[], options: ServerBenchOptions): Promise<ServerBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-career-bench-servers-'));
  const store = openSqliteStore({ dataDir });
  const { guilds, questionLog } = benchGuilds(engine, store);
  try {
    const guildIds = entries.map((_, i) => String(100_000_000_000_000_000n + BigInt(i)));
    const storeStarted = now();
    await writeEntries(store, guildIds, entries);
    const storeMs = now() - storeStarted;
    const memoryBefore = memory();

    // Each server's first question indexes its entries.
    const indexTimes: number[] = [];
    for (const guildId of guildIds) {
      const started = now();
      await guilds.questions.ask(guildId, '500000000000000001', questions[0]!.question);
      indexTimes.push(now() - started);
    }
    const after = memory();
    const keptServers = Math.min(guildIds.length, Math.floor(INDEXED_ENTRIES_BUDGET / options.entriesPerServer));

    // The servers asked last: their indexes are kept, as an active server's are.
    const timed = guildIds.map((guildId, i) => ({ guildId, entries: entries[i]! })).slice(-options.timedServers);
    const answer = await timeAnswers(guilds, timed, questions);
    await questionLog.flush();
    const addAndAnswer = await timeAdds(guilds, timed.map((t) => t.guildId));
    return {
      servers: options.servers,
      entriesPerServer: options.entriesPerServer,
      storeMs: round(storeMs, 0),
      indexMs: { total: round(indexTimes.reduce((a, b) => a + b, 0), 0), p50: round(percentile(indexTimes, 50), 2), p99: round(percentile(indexTimes, 99), 2) },
      keptServers,
      memoryBefore,
      memory: after,
      perKeptServerMB: round((after.heapMB + after.externalMB - memoryBefore.heapMB - memoryBefore.externalMB) / keptServers, 3),
      answer,
      addAndAnswer,
    };
  } finally {
    await questionLog.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stores each server's entries, one transaction a server. */
export async function writeEntries(store: Store, guildIds: readonly string[], entries: EntryContent[][]): Promise<void> {
  const editor = { member: store.memberHash('400000000000000001'), name: 'bench' };
  for (const [i, guildId] of guildIds.entries()) {
    const saved = await store.saveGuildEntries(
      guildId,
      entries[i]!.map((content) => ({ ...content, editor, editedAt: new Date() })),
      { maxEntries: Number.MAX_SAFE_INTEGER, sameTitle: 'refuse' },
    );
    if (!saved.ok) throw new Error(`could not store the entries of server ${guildId}: ${saved.problem}`);
  }
}

/** The evaluation questions and questions about the server's own entries, taken in turn, in every timed server. */
async function timeAnswers(guilds: Guilds, servers: readonly { guildId: string; entries: EntryContent[] }[], questions: readonly BenchQuestion[]) {
  const samples: number[] = [];
  let answeredFromEntries = 0;
  let asked = 0;
  for (const { guildId, entries } of servers) {
    const own = entries.slice(0, questions.length).map((e) => e.questions[0] ?? e.title);
    for (const [k, question] of questions.entries()) {
      for (const text of [question.question, own[k % own.length]!]) {
        const started = now();
        const answer = await guilds.questions.ask(guildId, '500000000000000001', text);
        answerReply(answer, true);
        samples.push(now() - started);
        if (text !== question.question) {
          asked++;
          if (answer.passages[0]?.id.startsWith('faq:')) answeredFromEntries++;
        }
      }
    }
  }
  return { ...latency(samples), answeredFromEntries: round(answeredFromEntries / asked, 3) };
}

async function timeAdds(guilds: Guilds, guildIds: readonly string[]) {
  const samples: number[] = [];
  let answeredFromNew = 0;
  for (const [i, guildId] of guildIds.entries()) {
    const draft: EntryDraft = {
      title: `When does study group ${i} meet?`,
      questions: `what time is the weekly session of study group ${i}`,
      answer: `Study group ${i} meets every Thursday at 18:00 UTC in the voice channel.`,
      link: '',
    };
    const started = now();
    const added = await guilds.entries.add(guildId, { userId: '400000000000000001', name: 'bench' }, draft);
    const answer = await guilds.questions.ask(guildId, '500000000000000001', `when does study group ${i} meet?`);
    answerReply(answer, true);
    samples.push(now() - started);
    if (added.ok && answer.passages[0]?.id === `faq:${added.entry.id}`) answeredFromNew++;
  }
  return { ...latency(samples), answeredFromNew };
}

function latency(samples: number[]) {
  return { samples: samples.length, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3), max: round(Math.max(...samples), 3) };
}
