/**
 * Child process for the migration race: says "ready", waits for "go" on stdin, opens (and so migrates) the
 * PostgreSQL store at the URL, and prints "opened" or the error.
 */
import { createInterface } from 'node:readline';
import { openPostgresStore } from '../../src/storage/postgresStore.js';

const [url, dataDir] = process.argv.slice(2);
if (url === undefined || dataDir === undefined) throw new Error('usage: openPostgresChild <postgres URL> <dataDir>');

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line === 'go') break;
}
lines.close();
try {
  await (await openPostgresStore({ url, dataDir })).close();
  process.stdout.write('opened\n');
} catch (error) {
  process.stdout.write(`${(error as Error).message}\n`);
}
