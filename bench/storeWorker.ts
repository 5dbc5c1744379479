// The answer path under load on one backend, in a process of its own; prints one JSON line. Run by bench/run.ts.
// PostgreSQL runs in a schema made for the run and dropped after it; where the server does not answer, the line
// says the backend was skipped and why.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadEngine } from '../src/answering/engine.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, readKnowledgeFiles } from '../src/knowledge/loader.js';
import { openPostgresStore } from '../src/storage/postgresStore.js';
import { openSqliteStore } from '../src/storage/sqliteStore.js';
import type { Store } from '../src/storage/store.js';
import { allQuestions } from './questions.js';
import { syntheticServerEntries, writeEntries } from './servers.js';
import { runStoreLoad } from './storeLoad.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'per-minute': { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '30' },
    servers: { type: 'string', default: '100' },
    entries: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    knowledge: { type: 'string', default: DEFAULT_KNOWLEDGE_DIR },
  },
});
const backend = values.backend;
const dataDir = mkdtempSync(join(tmpdir(), 'ml-career-bench-store-'));
const schema = `bench_${randomBytes(6).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: values['database-url'] });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function open(): Promise<Store> {
  if (backend === 'sqlite') return openSqliteStore({ dataDir });
  await admin(`CREATE SCHEMA ${schema}`);
  return openPostgresStore({ url: `${values['database-url']}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, dataDir });
}

let store: Store | undefined;
try {
  try {
    store = await open();
  } catch (error) {
    console.log(JSON.stringify({ backend, skipped: (error as Error).message }));
    process.exit(0);
  }
  const real = await loadKnowledgeDirectory(values.knowledge);
  const count = Number(values.servers);
  const entries = syntheticServerEntries(real, await readKnowledgeFiles(values.knowledge), count, Number(values.entries), Number(values.seed));
  const servers = entries.map((serverEntries, i) => ({ guildId: String(300_000_000_000_000_000n + BigInt(i)), entries: serverEntries }));
  await writeEntries(store, servers.map((server) => server.guildId), entries);
  const engine = await loadEngine(values.knowledge);
  const result = await runStoreLoad(backend, store, engine, servers, allQuestions(), { perMinute: Number(values['per-minute']), seconds: Number(values.seconds) });
  console.log(JSON.stringify(result));
} finally {
  await store?.close();
  if (backend === 'postgres') await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
