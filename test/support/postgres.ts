import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for the tests that need one: TEST_DATABASE_URL names a server and database the tests
 * may create schemas in (.ci/run starts its own server and sets it). Without it those tests skip,
 * and say so; in CI (CI set) its absence is a failure, so a broken set-up cannot pass as skipped.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

const warned = new Set<string>();

export function skipWithoutPostgres(context: Mocha.Context, what: string): void {
  if (testDatabaseUrl) return;
  if (process.env.CI) throw new Error(`TEST_DATABASE_URL is required in CI (for ${what}); .ci/run sets it`);
  if (!warned.has(what)) {
    warned.add(what);
    console.warn(`    (skipped: ${what} needs PostgreSQL; set TEST_DATABASE_URL=postgres://user:password@host:port/database to run it)`);
  }
  context.skip();
}

export interface TestSchema {
  /** TEST_DATABASE_URL with this schema as the search path: what the bot gets as DATABASE_URL. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** An empty schema of its own, so tests never see each other's tables or rows. */
export async function freshSchema(): Promise<TestSchema> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sa_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const url = new URL(testDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

/** The tables in a schema, to show the bot created them there. */
export async function tablesIn(schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    return result.rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
