/**
 * Child process for the cross-process claim test: opens the store (SQLite in the data directory, or the
 * PostgreSQL database at the URL), says "ready", waits for "go" on stdin so that both children start claiming together, then claims each
 * day and prints the results as one JSON line.
 */
import { createInterface } from 'node:readline';
import { openPostgresStore } from '../../src/storage/postgresStore.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';

const [dataDir, url, tipId, ...days] = process.argv.slice(2);
if (dataDir === undefined || url === undefined || tipId === undefined) throw new Error('usage: claimTipDaysChild <dataDir> <postgres URL or "sqlite"> <tipId> <day>...');

const store = url === 'sqlite' ? openSqliteStore({ dataDir }) : await openPostgresStore({ url, dataDir });
try {
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) {
    if (line === 'go') break;
  }
  lines.close();
  const won = await Promise.all(days.map((day) => store.claimTipDay('g1', day, tipId, new Date())));
  process.stdout.write(`${JSON.stringify(won)}\n`);
} finally {
  await store.close();
}
