// One system over one knowledge base, in a process of its own (so its memory is its own): builds it, then times
// it on the question mix and grades what it finds. Prints one JSON line. Run by bench/run.ts.
import { Document } from 'flexsearch';
import MiniSearch from 'minisearch';
import { parseArgs } from 'node:util';
import { createEngine, type Engine } from '../src/answering/engine.js';
import { encodeSavedEngine } from '../src/answering/engineCache.js';
import { answerReply } from '../src/bot/answerReply.js';
import { grade, missingGroups, summarize, type EvalSummary } from '../src/evaluation/grading.js';
import { loadKnowledgeDirectory } from '../src/knowledge/loader.js';
import type { Passage } from '../src/knowledge/schema.js';
import { PassageIndex } from '../src/search/passageIndex.js';
import { allQuestions, DEV_SET, headToHead, HOLDOUT_SET, loadSet, type BenchQuestion } from './questions.js';
import { memory, now, percentile, round, type Memory } from './stats.js';

export type SystemName = 'engine' | 'minisearch' | 'flexsearch';

export interface Latency {
  /** Samples timed, and how many a full run would have had (fewer when the time budget ran out). */
  samples: number;
  planned: number;
  p50: number;
  p99: number;
  max: number;
}

export interface Variant {
  latency: Latency;
  /** In-scope questions of the mix whose first (or one of the first three) passages meet every expected fact. */
  top1: number;
  top3: number;
  inScope: number;
}

export interface WorkerResult {
  system: SystemName;
  passages: number;
  parseMs: number;
  buildMs: number;
  /** After parsing the knowledge base, and after building the index over it. */
  memoryBefore: Memory;
  memory: Memory;
  /** The head-to-head mix through each variant of the system. */
  variants: Record<string, Variant>;
  engine?: {
    /** Question in, Discord reply payload out, over all 130 questions. */
    answerPath: Latency;
    byCategory: Record<string, { samples: number; p50: number; p99: number }>;
    dev: EvalSummary;
    holdout: EvalSummary;
    savedBytes: number;
    saveMs: number;
  };
}

const { values } = parseArgs({
  options: {
    system: { type: 'string' },
    knowledge: { type: 'string' },
    budget: { type: 'string', default: '60000' },
    rounds: { type: 'string', default: '10' },
  },
});
const system = values.system as SystemName;
const budgetMs = Number(values.budget);
const rounds = Number(values.rounds);

const parseStarted = now();
const knowledge = await loadKnowledgeDirectory(values.knowledge!);
const parseMs = now() - parseStarted;
const passages = knowledge.passages;
const memoryBefore = memory();
const mix = headToHead();

/** Times `run` over the questions, round after round, within the time budget (a slow system gets fewer). */
function time(questions: readonly BenchQuestion[], run: (q: BenchQuestion) => void, plannedRounds: number, warmup = true): { latency: Latency; samples: number[] } {
  const started = now();
  if (warmup) for (const q of questions.slice(0, 3)) run(q);
  const samples: number[] = [];
  outer: for (let r = 0; r < plannedRounds; r++) {
    for (const q of questions) {
      if (samples.length > 0 && now() - started > budgetMs) break outer;
      const t = now();
      run(q);
      samples.push(now() - t);
    }
  }
  return { latency: summary(samples, questions.length * plannedRounds), samples };
}

function summary(samples: readonly number[], planned: number): Latency {
  return { samples: samples.length, planned, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3), max: round(Math.max(...samples), 3) };
}

/** Passage hits of a system's ranking on the in-scope questions of the mix, as `npm run eval` counts them. */
function hits(rank: (q: BenchQuestion) => Passage[]): { top1: number; top3: number; inScope: number } {
  let top1 = 0;
  let top3 = 0;
  let inScope = 0;
  for (const q of mix) {
    if (q.expect.length === 0) continue;
    inScope++;
    const found = rank(q).slice(0, 3).map((p) => missingGroups(`${p.title}\n${p.text}`, q.expect).length === 0);
    if (found[0]) top1++;
    if (found.includes(true)) top3++;
  }
  return { top1, top3, inScope };
}

let result: WorkerResult;
if (system === 'engine') result = benchEngine();
else if (system === 'minisearch') result = benchMiniSearch();
else if (system === 'flexsearch') result = benchFlexSearch();
else throw new Error(`unknown system ${String(system)}`);
console.log(JSON.stringify(result));

function benchEngine(): WorkerResult {
  const started = now();
  const index = PassageIndex.build(passages);
  const engine: Engine = createEngine(knowledge, index);
  const buildMs = now() - started;
  const after = memory();

  const all = allQuestions();
  // Warmed up first: these are steady-state figures (cold start is measured on its own).
  for (let r = 0; r < 5; r++) for (const q of all) answerReply(engine.answer(q.question), false);
  const byQuestion = new Map<string, number[]>();
  const answerPath = time(
    all,
    (q) => {
      const t = now();
      answerReply(engine.answer(q.question), false);
      const list = byQuestion.get(q.id) ?? [];
      list.push(now() - t);
      byQuestion.set(q.id, list);
    },
    rounds,
    false,
  );
  const byCategory: Record<string, { samples: number; p50: number; p99: number }> = {};
  for (const category of ['comparison', 'tools', 'short', 'long', 'typo']) {
    const samples = all.filter((q) => q.categories.includes(category)).flatMap((q) => byQuestion.get(q.id) ?? []);
    byCategory[category] = { samples: samples.length, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3) };
  }
  const full = time(mix, (q) => answerReply(engine.answer(q.question), false), rounds * 2);
  const searchOnly = time(mix, (q) => engine.search(q.question, 10), rounds * 2);
  const ranked = (q: BenchQuestion) => engine.search(q.question, 3).map((p) => engine.passage(p.id)!);

  const gradeSet = (file: string) => summarize(loadSet(file).map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3))));
  const saveStarted = now();
  const bytes = encodeSavedEngine('bench', knowledge, index);
  const saveMs = now() - saveStarted;
  return {
    ...measured(buildMs, after),
    variants: {
      'answer path': { latency: full.latency, ...hits(ranked) },
      'search only': { latency: searchOnly.latency, ...hits(ranked) },
    },
    engine: {
      answerPath: answerPath.latency,
      byCategory,
      dev: gradeSet(DEV_SET),
      holdout: gradeSet(HOLDOUT_SET),
      savedBytes: bytes.byteLength,
      saveMs: round(saveMs, 0),
    },
  };
}

/** What every system's result starts with: its size, its build time and its memory. */
function measured(buildMs: number, after: Memory) {
  return { system, passages: passages.length, parseMs: round(parseMs, 0), buildMs: round(buildMs, 0), memoryBefore, memory: after };
}

function benchMiniSearch(): WorkerResult {
  const started = now();
  const miniSearch = new MiniSearch<{ id: number; title: string; heading: string; text: string }>({ fields: ['title', 'heading', 'text'] });
  miniSearch.addAll(passages.map((p, id) => ({ id, title: p.documentTitle, heading: p.heading, text: p.text })));
  const buildMs = now() - started;
  const after = memory();
  const rank = (results: { id: number }[]) => results.slice(0, 3).map((r) => passages[r.id]!);
  const plain = time(mix, (q) => miniSearch.search(q.question), rounds);
  const fuzzy = time(mix, (q) => miniSearch.search(q.question, { fuzzy: 0.2, prefix: true }), rounds);
  return {
    ...measured(buildMs, after),
    variants: {
      default: { latency: plain.latency, ...hits((q) => rank(miniSearch.search(q.question))) },
      'fuzzy 0.2 + prefix': {
        latency: fuzzy.latency,
        ...(fuzzy.latency.samples === fuzzy.latency.planned || passages.length < 20_000
          ? hits((q) => rank(miniSearch.search(q.question, { fuzzy: 0.2, prefix: true })))
          : { top1: NaN, top3: NaN, inScope: NaN }),
      },
    },
  };
}

function benchFlexSearch(): WorkerResult {
  const started = now();
  // FlexSearch 0.8.212 reads `fastupdate` for the document's shared registry from the top level, not from the
  // preset, and throws on add() unless it is repeated there.
  const index = new Document<{ id: number; title: string; heading: string; text: string }>({
    preset: 'performance',
    fastupdate: true,
    document: { id: 'id', index: ['title', 'heading', 'text'] },
  });
  passages.forEach((p, id) => index.add({ id, title: p.documentTitle, heading: p.heading, text: p.text }));
  const buildMs = now() - started;
  const after = memory();
  const search = (q: BenchQuestion) => index.search(q.question, { limit: 10, merge: true }) as unknown as { id: number }[];
  const timed = time(mix, search, rounds * 2);
  return {
    ...measured(buildMs, after),
    variants: { 'performance preset': { latency: timed.latency, ...hits((q) => search(q).slice(0, 3).map((r) => passages[r.id]!)) } },
  };
}
