/**
 * Child process for the cross-process claim test: opens the store in the given directory, says "ready",
 * waits for "go" on stdin so that both children start claiming together, then claims each day and prints
 * the results as one JSON line.
 */
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';

const [dataDir, tipId, ...days] = process.argv.slice(2);
if (dataDir === undefined || tipId === undefined) throw new Error('usage: claimTipDaysChild <dataDir> <tipId> <day>...');

const store = openSqliteStore({ dataDir });
try {
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) {
    if (line === 'go') break;
  }
  lines.close();
  const won = days.map((day) => store.claimTipDay('g1', day, tipId, new Date()));
  process.stdout.write(`${JSON.stringify(won)}\n`);
} finally {
  store.close();
}
