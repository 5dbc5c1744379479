// `npm run bench:start`: the production start, measured. Builds the bot (`npm run build`) into a temporary
// installation, then starts it (`node dist/bundle/main.js`, as a process manager runs it) against the Discord double
// `--runs` times over one data directory: the first start builds and saves the search index, the others load
// it. Each start is timed from spawning the process to the reply to its first /ask, with the CPU time the bot
// had used by then (Linux), and its resident memory is read then and after it idled `--idle` seconds (V8 gives
// memory back some 15 to 30 s after the work that took it). `--tsx` also measures `npm start`'s way, the
// TypeScript sources under tsx, for comparison.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/packageRoot.js';
import { buildInstalledCopy } from '../tests/support/compiledBot.js';
import { startDiscordDouble } from '../tests/support/discord-double.js';
import { percentile } from './stats.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    idle: { type: 'string', default: '30' },
    tsx: { type: 'boolean', default: false },
  },
});

interface Start {
  firstAnswerMs: number;
  cpuMs: number | undefined;
  answeredRssMB: number;
  idleRssMB: number;
}

async function main(): Promise<void> {
  const copy = await buildInstalledCopy();
  try {
    report('compiled and bundled: node dist/bundle/main.js', await starts(copy.dir, ['dist/bundle/main.js']));
    if (values.tsx) report('tsx: node --import tsx src/main.ts', await starts(PACKAGE_ROOT, ['--import', 'tsx', 'src/main.ts']));
  } finally {
    await copy.remove();
  }
}

async function starts(cwd: string, args: string[]): Promise<Start[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ml-career-bot-bench-'));
  try {
    const results: Start[] = [];
    for (let run = 0; run < Number(values.runs); run++) results.push(await start(cwd, args, dataDir));
    return results;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function start(cwd: string, args: string[], dataDir: string): Promise<Start> {
  const discord = await startDiscordDouble();
  let bot: ChildProcess | undefined;
  try {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl };
    const spawned = performance.now();
    bot = spawn(process.execPath, args, { cwd, env, stdio: 'ignore' });
    await discord.waitForReady({ timeoutMs: 30_000 });
    const reply = await discord.slash('ask', { question: 'what is data drift' });
    const firstAnswerMs = performance.now() - spawned;
    const cpuMs = await cpuTime(bot.pid!);
    const answeredRssMB = await residentMB(bot.pid!);
    if (!reply.embeds[0]?.title) throw new Error(`the first /ask got no answer: ${JSON.stringify(reply)}`);
    await sleep(Number(values.idle) * 1000);
    return { firstAnswerMs, cpuMs, answeredRssMB, idleRssMB: await residentMB(bot.pid!) };
  } finally {
    bot?.kill('SIGTERM');
    if (bot && bot.exitCode === null) await new Promise((resolve) => bot!.once('exit', resolve));
    await discord.close();
  }
}

/** User and system time the process has used (Linux's /proc), in ms: what its start costs on an idle machine. */
async function cpuTime(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 : undefined;
}

async function residentMB(pid: number): Promise<number> {
  const rssKB = await new Promise<string>((resolve, reject) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ps.on('error', reject);
    ps.on('close', () => resolve(out.trim()));
  });
  return Number(rssKB) / 1024;
}

function report(label: string, results: Start[]): void {
  const [first, ...saved] = results;
  const ms = (n: number | undefined) => (n === undefined ? 'n/a' : `${Math.round(n)} ms`);
  const mb = (n: number) => `${Math.round(n)} MB`;
  const spread = (pick: (s: Start) => number | undefined, unit: (n: number) => string) => {
    const samples = saved.map(pick).filter((n): n is number => n !== undefined);
    return samples.length ? `${unit(percentile(samples, 50))} (${unit(Math.min(...samples))}–${unit(Math.max(...samples))})` : 'n/a';
  };
  console.log(`\n${label}`);
  console.log(`  building the index: first answer ${ms(first!.firstAnswerMs)} (CPU ${ms(first!.cpuMs)}); resident ${mb(first!.answeredRssMB)}, idle ${mb(first!.idleRssMB)}`);
  console.log(`  saved index, ${saved.length} starts, median (min–max):`);
  console.log(`    first answer ${spread((s) => s.firstAnswerMs, ms)} (CPU ${spread((s) => s.cpuMs, ms)})`);
  console.log(`    resident ${spread((s) => s.answeredRssMB, mb)}, idle ${spread((s) => s.idleRssMB, mb)}`);
}

await main();
