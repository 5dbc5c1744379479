// `npm run bench`: the engine against raw MiniSearch and FlexSearch over the real knowledge base and seeded
// synthetic ones of 10,000 and 100,000 passages, and servers' own entries (1,000 servers of 200 entries beside
// the real knowledge base), and the answer path under 2,000 /ask a minute on SQLite and on PostgreSQL; prints one
// table and the targets, and writes every figure to bench/results/.
// Options: --sizes real,10000,100000  --seed 1  --rounds 10  --budget <ms per baseline>  --skip-baselines
// --runs <cold starts per mode>  --servers 1000  --server-entries 200 (--servers 0 skips them)
// --load-seconds 30 (0 skips the load)  --database-url postgres://postgres@127.0.0.1:5432/test
import { spawn } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, readKnowledgeFiles } from '../src/knowledge/loader.js';
import { PACKAGE_ROOT } from '../src/packageRoot.js';
import { syntheticKnowledge, type SyntheticStats } from './corpus.js';
import { percentile, round } from './stats.js';
import type { ServerBenchResult } from './servers.js';
import type { StoreLoadResult } from './storeLoad.js';
import type { Latency, WorkerResult } from './worker.js';

const ROOT = PACKAGE_ROOT;
const RESULTS = join(ROOT, 'bench', 'results');
const BUILD = join(RESULTS, 'build');

/** The issue's targets. */
export const TARGETS = {
  real: { p99Ms: 5, coldStartMs: 300, memoryMB: 150 },
  large: { passages: 100_000, p99Ms: 30, buildMs: 10_000, loadMs: 2_000, memoryMB: 500, aheadOfFlexSearch: true },
  qualityPoints: 5,
  servers: { count: 1000, entries: 200, p99Ms: 5, addMs: 50 },
  load: { perMinute: 2000, p99Ms: 10, backlog: 10 },
};

/** A backend the load ran on, or why it could not. */
type LoadRun = StoreLoadResult | { backend: string; skipped: string };

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'real,10000,100000' },
    seed: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '60000' },
    runs: { type: 'string', default: '5' },
    'skip-baselines': { type: 'boolean', default: false },
    servers: { type: 'string', default: String(TARGETS.servers.count) },
    'server-entries': { type: 'string', default: String(TARGETS.servers.entries) },
    'load-seconds': { type: 'string', default: '30' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const seed = Number(values.seed);
const sizes = values.sizes.split(',').map((s) => s.trim());

interface ColdStart {
  /** Spawn to reply payload, wall clock, median of the runs. */
  medianMs: number;
  runs: number[];
  /** The engine's own load (loadEngine / loadEngineCached), median, and the process's RSS after answering. */
  loadMs: number;
  rssMB: number;
}

interface SizeResult {
  label: string;
  passages: number;
  synthetic?: SyntheticStats;
  systems: Partial<Record<WorkerResult['system'], WorkerResult>>;
  coldStart: {
    runtime: 'node (compiled)' | 'tsx';
    built?: ColdStart;
    /** First start with an empty data directory: builds, answers, saves. */
    firstSave?: ColdStart;
    saved?: ColdStart;
    /** The same saved-index start under tsx, as `npm start` runs today. */
    savedTsx?: ColdStart;
  };
}

async function main(): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const compiled = await compile();
  const realFiles = await readKnowledgeFiles(DEFAULT_KNOWLEDGE_DIR);
  const real = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
  const results: SizeResult[] = [];

  for (const size of sizes) {
    const started = performance.now();
    let dir = DEFAULT_KNOWLEDGE_DIR;
    let synthetic: SyntheticStats | undefined;
    let temporary: string | undefined;
    if (size !== 'real') {
      const count = Number(size);
      if (!Number.isInteger(count) || count <= 0) throw new Error(`--sizes: "${size}" is not "real" or a passage count`);
      const generated = syntheticKnowledge(real, realFiles, count, seed);
      synthetic = generated.stats;
      temporary = join(tmpdir(), `ml-career-bench-${process.pid}-${count}`);
      await writeKnowledge(temporary, generated.files);
      dir = temporary;
    }
    log(`\n${size === 'real' ? 'real knowledge base' : `real knowledge base + ${size} synthetic passages`} (${dir})`);
    const systems: SizeResult['systems'] = {};
    const names: WorkerResult['system'][] = values['skip-baselines'] ? ['engine'] : ['engine', 'minisearch', 'flexsearch'];
    for (const system of names) {
      log(`  ${system}…`);
      systems[system] = JSON.parse(await runNode(compiled, 'worker', ['--system', system, '--knowledge', dir, '--rounds', values.rounds, '--budget', values.budget], true)) as WorkerResult;
    }
    const passages = systems.engine!.passages;
    log('  cold starts…');
    const dataDir = join(tmpdir(), `ml-career-bench-data-${process.pid}-${size}`);
    await rm(dataDir, { recursive: true, force: true });
    const runs = passages > 50_000 ? Math.min(3, Number(values.runs)) : Number(values.runs);
    const coldStart: SizeResult['coldStart'] = { runtime: compiled ? 'node (compiled)' : 'tsx' };
    coldStart.built = await coldStarts(compiled, 'built', dir, dataDir, passages > 50_000 ? 2 : runs);
    coldStart.firstSave = await coldStarts(compiled, 'saved', dir, dataDir, 1);
    coldStart.saved = await coldStarts(compiled, 'saved', dir, dataDir, runs);
    if (compiled && size === 'real') coldStart.savedTsx = await coldStarts(false, 'saved', dir, dataDir, runs);
    await rm(dataDir, { recursive: true, force: true });
    if (temporary) await rm(temporary, { recursive: true, force: true });
    results.push({ label: size, passages, ...(synthetic ? { synthetic } : {}), systems, coldStart });
    log(`  done in ${Math.round((performance.now() - started) / 1000)} s`);
  }

  let servers: ServerBenchResult | undefined;
  if (Number(values.servers) > 0) {
    log(`\n${values.servers} servers of ${values['server-entries']} entries beside the real knowledge base…`);
    const args = ['--servers', values.servers, '--entries', values['server-entries'], '--seed', String(seed), '--knowledge', DEFAULT_KNOWLEDGE_DIR];
    servers = JSON.parse(await runNode(compiled, 'serverWorker', args, true)) as ServerBenchResult;
  }

  const loads: LoadRun[] = [];
  if (Number(values['load-seconds']) > 0) {
    for (const backend of ['sqlite', 'postgres']) {
      log(`\nthe answer path under ${TARGETS.load.perMinute.toLocaleString('en-US')} /ask a minute on ${backend}…`);
      const args = ['--backend', backend, '--database-url', values['database-url'], '--per-minute', String(TARGETS.load.perMinute), '--seconds', values['load-seconds'], '--knowledge', DEFAULT_KNOWLEDGE_DIR];
      loads.push(JSON.parse(await runNode(compiled, 'storeWorker', args, true)) as LoadRun);
    }
  }

  const targets = checkTargets(results, servers, loads);
  const report = {
    date: new Date().toISOString(),
    environment: { node: process.version, platform: process.platform, cpu: cpus()[0]?.model, cpus: cpus().length, memoryGB: round(totalmem() / 2 ** 30, 1) },
    options: { sizes, seed, rounds: Number(values.rounds), budgetMs: Number(values.budget), baselines: !values['skip-baselines'] },
    targets: TARGETS,
    results,
    servers,
    loads,
    checks: targets,
  };
  printTable(results);
  if (servers) printServers(servers);
  if (loads.length) printLoads(loads);
  printChecks(targets);
  const file = join(RESULTS, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2));
  await writeFile(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
  log(`\nfigures written to ${relative(ROOT, file)} (and bench/results/latest.json)`);
}

/** Compiles the benchmark's processes to plain JavaScript, so that their start-up is not tsx's. */
async function compile(): Promise<boolean> {
  const tsconfig = join(BUILD, 'tsconfig.json');
  await rm(BUILD, { recursive: true, force: true });
  await mkdir(BUILD, { recursive: true });
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: relative(BUILD, join(ROOT, 'tsconfig.json')),
      compilerOptions: { noEmit: false, outDir: '.', rootDir: relative(BUILD, ROOT), sourceMap: false, declaration: false },
      include: [],
      files: ['worker.ts', 'coldStart.ts', 'serverWorker.ts', 'storeWorker.ts'].map((f) => relative(BUILD, join(ROOT, 'bench', f))),
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', tsconfig]);
    return true;
  } catch (error) {
    log(`could not compile the benchmark (${String(error)}); its processes run under tsx`);
    return false;
  }
}

function runNode(compiled: boolean, script: 'worker' | 'coldStart' | 'serverWorker' | 'storeWorker', args: string[], lastLine = false): Promise<string> {
  const entry = compiled ? [join(BUILD, 'bench', `${script}.js`)] : ['--import', 'tsx', join(ROOT, 'bench', `${script}.ts`)];
  return run(process.execPath, ['--expose-gc', ...entry, ...args]).then((out) => (lastLine ? out.trim().split('\n').at(-1)! : out));
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/** Spawns a process that loads the engine and answers; times spawn to the first line it prints. */
async function coldStarts(compiled: boolean, mode: 'built' | 'saved', dir: string, dataDir: string, times: number): Promise<ColdStart> {
  const walls: number[] = [];
  const loads: number[] = [];
  let rssMB = 0;
  for (let i = 0; i < times; i++) {
    const entry = compiled ? [join(BUILD, 'bench', 'coldStart.js')] : ['--import', 'tsx', join(ROOT, 'bench', 'coldStart.ts')];
    const { wall, line } = await new Promise<{ wall: number; line: string }>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [...entry, mode, dir, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let wall = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!wall && out.includes('\n')) wall = performance.now() - started;
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 && wall ? resolve({ wall, line: out.split('\n')[0]! }) : reject(new Error(`cold start (${mode}) exited with ${code}`))));
    });
    const child = JSON.parse(line) as { loadMs: number; rssMB: number };
    walls.push(wall);
    loads.push(child.loadMs);
    rssMB = child.rssMB;
  }
  return { medianMs: Math.round(percentile(walls, 50)), runs: walls.map((w) => Math.round(w)), loadMs: Math.round(percentile(loads, 50)), rssMB };
}

async function writeKnowledge(dir: string, files: Awaited<ReturnType<typeof readKnowledgeFiles>>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const names = new Set<string>();
  for (const [path, content] of Object.entries(files.documents)) {
    const name = path.split(/[\\/]/).at(-1)!;
    if (names.has(name)) throw new Error(`two documents named ${name}`);
    names.add(name);
    await writeFile(join(dir, name), content);
  }
  await writeFile(join(dir, 'sources.yaml'), files.sources);
  await writeFile(join(dir, 'tips.yaml'), files.tips);
}

interface Check {
  target: string;
  measured: string;
  pass: boolean | null;
}

function checkTargets(results: SizeResult[], servers: ServerBenchResult | undefined, loads: LoadRun[]): Check[] {
  const checks: Check[] = [];
  const check = (target: string, measured: number | undefined, unit: string, pass: (v: number) => boolean) =>
    checks.push({ target, measured: measured === undefined || Number.isNaN(measured) ? 'not measured' : `${round(measured, 2)} ${unit}`, pass: measured === undefined || Number.isNaN(measured) ? null : pass(measured) });

  const realRun = results.find((r) => r.label === 'real');
  const realEngine = realRun?.systems.engine;
  check(`real knowledge base: question in to reply payload out, p99 < ${TARGETS.real.p99Ms} ms`, realEngine?.engine?.answerPath.p99, 'ms', (v) => v < TARGETS.real.p99Ms);
  check(`real knowledge base: cold start (process start to first reply, saved index) < ${TARGETS.real.coldStartMs} ms`, realRun?.coldStart.saved?.medianMs, 'ms', (v) => v < TARGETS.real.coldStartMs);
  check(`real knowledge base: memory (RSS after build) < ${TARGETS.real.memoryMB} MB`, realEngine?.memory.rssMB, 'MB', (v) => v < TARGETS.real.memoryMB);

  const large = results.find((r) => r.passages >= TARGETS.large.passages);
  const engine = large?.systems.engine;
  const flex = large?.systems.flexsearch?.variants['performance preset']?.latency.p99;
  check(`100,000 passages: question in to reply payload out, p99 < ${TARGETS.large.p99Ms} ms`, engine?.engine?.answerPath.p99, 'ms', (v) => v < TARGETS.large.p99Ms);
  const ours = engine?.variants['answer path']?.latency.p99;
  checks.push({
    target: '100,000 passages: p99 ahead of FlexSearch (same questions, same run; ours through the whole answer path)',
    measured: ours !== undefined && flex !== undefined ? `${round(ours, 2)} ms vs ${round(flex, 2)} ms` : 'not measured',
    pass: ours !== undefined && flex !== undefined ? ours < flex : null,
  });
  check(`100,000 passages: build < ${TARGETS.large.buildMs / 1000} s`, engine?.buildMs, 'ms', (v) => v < TARGETS.large.buildMs);
  check(`100,000 passages: loading the saved index < ${TARGETS.large.loadMs / 1000} s`, large?.coldStart.saved?.loadMs, 'ms', (v) => v < TARGETS.large.loadMs);
  check(`100,000 passages: memory (RSS after build) < ${TARGETS.large.memoryMB} MB`, engine?.memory.rssMB, 'MB', (v) => v < TARGETS.large.memoryMB);

  const many = `${TARGETS.servers.count.toLocaleString('en-US')} servers of ${TARGETS.servers.entries} entries`;
  check(`${many}: question in to reply payload out in a server, p99 < ${TARGETS.servers.p99Ms} ms`, servers?.answer.p99, 'ms', (v) => v < TARGETS.servers.p99Ms);
  check(`${many}: adding an entry until a question about it is answered from it, slowest < ${TARGETS.servers.addMs} ms`, servers?.addAndAnswer.max, 'ms', (v) => v < TARGETS.servers.addMs);

  const under = `the answer path under ${TARGETS.load.perMinute.toLocaleString('en-US')} /ask a minute`;
  const load = (backend: string) => loads.find((l): l is StoreLoadResult => l.backend === backend && !('skipped' in l));
  check(`${under}, PostgreSQL on the same machine: p99 < ${TARGETS.load.p99Ms} ms`, load('postgres')?.answer.p99, 'ms', (v) => v < TARGETS.load.p99Ms);
  check(`${under}, SQLite: p99 < ${TARGETS.load.p99Ms} ms`, load('sqlite')?.answer.p99, 'ms', (v) => v < TARGETS.load.p99Ms);
  for (const backend of ['sqlite', 'postgres']) {
    const run = load(backend);
    // Keeping up: every question written by the end, and no more than a moment's questions waiting in its last tenth.
    check(
      `${under}, ${backend}: the question log keeps up (every question recorded, at most ${TARGETS.load.backlog} waiting at the end)`,
      run && (run.questionLog.recorded === run.questionLog.asked ? run.questionLog.maxWaitingAtEnd : Number.POSITIVE_INFINITY),
      'waiting',
      (v) => v <= TARGETS.load.backlog,
    );
  }

  const share = (s: { right: number; total: number }) => (100 * s.right) / s.total;
  if (realEngine?.engine && engine?.engine) {
    const r = realEngine.engine.dev;
    const l = engine.engine.dev;
    for (const [what, a, b] of [
      ['in scope right', share(r.inScope), share(l.inScope)],
      ['out of scope declined', share(r.outOfScope), share(l.outOfScope)],
    ] as const) {
      checks.push({
        target: `quality at scale: dev set with 100,000 distractors, ${what} within ${TARGETS.qualityPoints} points of the real knowledge base`,
        measured: `${round(b, 1)} % vs ${round(a, 1)} %`,
        pass: Math.abs(a - b) <= TARGETS.qualityPoints,
      });
    }
  }
  return checks;
}

function printTable(results: SizeResult[]): void {
  const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v >= 1000 ? `${round(v / 1000, 1)} s` : v >= 10 ? `${Math.round(v)} ms` : `${round(v, 2)} ms`);
  const lat = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)}${l.samples < l.planned ? ` (${l.samples} of ${l.planned})` : ''}` : '–');
  const rows: string[][] = [['passages', 'system', 'build', 'p50 / p99', 'RSS after build', 'top-1 / top-3 hits', 'cold start: built / saved index', 'saved index: load']];
  for (const r of results) {
    const engine = r.systems.engine;
    for (const [system, result] of Object.entries(r.systems) as [string, WorkerResult][]) {
      for (const [variant, v] of Object.entries(result.variants)) {
        if (variant === 'search only') continue;
        const isEngine = system === 'engine';
        rows.push([
          r.passages.toLocaleString('en-US'),
          isEngine ? 'this engine, question → reply payload' : `${system === 'minisearch' ? 'MiniSearch' : 'FlexSearch'} ${variant}`,
          ms(result.buildMs),
          lat(v.latency),
          `${Math.round(result.memory.rssMB)} MB`,
          v.top1 === null || Number.isNaN(v.top1) ? '– (too slow to grade)' : `${v.top1} / ${v.top3} of ${v.inScope}`,
          isEngine ? `${ms(r.coldStart.built?.medianMs)} / ${ms(r.coldStart.saved?.medianMs)}` : '',
          isEngine ? ms(r.coldStart.saved?.loadMs) : '',
        ]);
      }
      if (system === 'engine' && engine?.engine) {
        rows.push(['', '  all 130 questions', '', lat(engine.engine.answerPath), '', '', '', '']);
      }
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  console.log('\n' + rows.map((row, i) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ') + (i === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n'));
  console.log('\np50 / p99 over the 24-question head-to-head mix (all 130 for the engine\'s second line); hits: in-scope questions of the mix');
  console.log('whose first (top-1) or one of the first three passages (top-3) holds every expected fact. Cold start: median wall clock');
  console.log(`from spawning the process to the reply payload, ${results[0]?.coldStart.runtime ?? ''}.`);
  for (const r of results) {
    const d = r.systems.engine?.engine;
    if (!d) continue;
    const pct = (s: { right: number; total: number }) => `${s.right}/${s.total}`;
    console.log(
      `quality, ${r.passages.toLocaleString('en-US')} passages: dev ${pct(d.dev.inScope)} in scope, ${pct(d.dev.outOfScope)} declined; ` +
        `holdout ${pct(d.holdout.inScope)} in scope, ${pct(d.holdout.outOfScope)} declined` +
        (r.coldStart.savedTsx ? `; cold start under tsx (npm start): ${ms(r.coldStart.savedTsx.medianMs)}` : ''),
    );
  }
}

function printServers(r: ServerBenchResult): void {
  const mb = (m: { heapMB: number; externalMB: number }) => round(m.heapMB + m.externalMB, 1);
  console.log(
    `\n${r.servers.toLocaleString('en-US')} servers of ${r.entriesPerServer} entries beside the real knowledge base (${(r.servers * r.entriesPerServer).toLocaleString('en-US')} entries):\n` +
      `  question in to reply payload out in a server: p50 ${r.answer.p50} ms, p99 ${r.answer.p99} ms over ${r.answer.samples} questions ` +
      `(half about the server's own entries, ${Math.round(r.answer.answeredFromEntries * 100)} % of those answered from them)\n` +
      `  adding an entry until a question about it is answered from it: p50 ${r.addAndAnswer.p50} ms, slowest ${r.addAndAnswer.max} ms ` +
      `(${r.addAndAnswer.answeredFromNew} of ${r.addAndAnswer.samples} answered from the new entry)\n` +
      `  a server's first question, which indexes its entries: p50 ${r.indexMs.p50} ms, p99 ${r.indexMs.p99} ms; storing all entries: ${round(r.storeMs / 1000, 1)} s\n` +
      `  memory with every server asked: ${r.memory.rssMB} MB RSS, JS heap and buffers ${mb(r.memoryBefore)} → ${mb(r.memory)} MB; ` +
      `${r.keptServers} servers' indexes kept (the most recently asked), ${r.perKeptServerMB} MB each`,
  );
}

function printLoads(loads: LoadRun[]): void {
  log(`\nthe answer path under ${TARGETS.load.perMinute.toLocaleString('en-US')} /ask a minute, after the servers' indexes were built from the store as the bot builds them at start:`);
  for (const run of loads) {
    if ('skipped' in run) {
      log(`  ${run.backend}: not measured: ${run.skipped}`);
      continue;
    }
    const { warmUp, answer, questionLog } = run;
    log(
      `  ${run.backend}: ${warmUp.servers} servers indexed before the load in ${warmUp.ms} ms; ` +
        `p50 ${answer.p50} ms, p99 ${answer.p99} ms, slowest ${answer.max} ms over ${answer.samples} questions in ${run.servers} servers of ${run.entriesPerServer} entries; ` +
        `question log: at most ${questionLog.maxWaiting} waiting (${questionLog.maxWaitingAtEnd} in the last tenth), ${questionLog.recorded} of ${questionLog.asked} recorded`,
    );
  }
}

function printChecks(checks: Check[]): void {
  console.log('\nTargets:');
  for (const c of checks) console.log(`  ${c.pass === null ? 'n/a ' : c.pass ? 'PASS' : 'FAIL'}  ${c.target}: ${c.measured}`);
}

function log(message: string): void {
  console.error(message);
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

