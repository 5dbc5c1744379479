/**
 * Child process for the database lock test, as another bot instance or an operator's sqlite3 shell would be:
 * takes the write lock of a SQLite file (BEGIN IMMEDIATE), says "locked", and holds it until "release" arrives
 * on stdin, stdin closes, or the given number of milliseconds has passed.
 */
import Database from 'better-sqlite3';

const [file, holdMs] = process.argv.slice(2);
if (file === undefined || holdMs === undefined) throw new Error('usage: holdWriteLockChild <database file> <milliseconds>');

const db = new Database(file);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');

const release = () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
};
setTimeout(release, Number(holdMs));
process.stdin.on('data', (chunk: Buffer) => {
  if (chunk.toString().includes('release')) release();
});
process.stdin.on('end', release);
