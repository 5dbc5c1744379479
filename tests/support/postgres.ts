import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests use (.ci/run starts it): trust authentication, database `test`. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** TEST_DATABASE_URL with this schema as the search path: what the store or the bot is given. */
  url: string;
  /** Runs SQL in the schema (to corrupt a row, count rows). */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Drops the schema and everything in it. Safe to call twice. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A schema of the test's own in the test database, so that tests running at once never meet. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(TEST_DATABASE_URL, (client) => client.query(`CREATE SCHEMA ${name}`));
  const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
  return {
    name,
    url,
    sql: (text, values = []) => withClient(url, async (client) => (await client.query(text, values)).rows as Record<string, unknown>[]),
    drop: () => withClient(TEST_DATABASE_URL, async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`))),
  };
}
