import { Client } from 'pg';

/**
 * On PostgreSQL the e2e suites run one per jest worker, each worker on a database of its own
 * (`<DATABASE_URL's database>_w<worker>`): suites of one worker run one after the other, as they
 * would alone, and never see another worker's roll-up rebuilds, global counts or queues. Without
 * DATABASE_URL (embedded) each suite already has its own data directory.
 */
export function workerDatabaseUrl(baseUrl: string, workerId: string | number): string {
  const url = new URL(baseUrl);
  url.pathname = `/${workerDatabaseName(baseUrl, workerId)}`;
  return url.toString();
}

function workerDatabaseName(baseUrl: string, workerId: string | number): string {
  const base = decodeURIComponent(new URL(baseUrl).pathname.slice(1)) || 'postgres';
  return `${base}_w${workerId}`;
}

/** Runs `sql` for each worker's database name, on the server of `baseUrl`. */
async function forEachWorker(
  baseUrl: string,
  workers: number,
  sql: (quotedName: string) => string[],
): Promise<void> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    for (let id = 1; id <= workers; id++) {
      const quoted = client.escapeIdentifier(workerDatabaseName(baseUrl, id));
      for (const statement of sql(quoted)) await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

/** A fresh, empty database per worker (the first suite of each applies the migrations). */
export const createWorkerDatabases = (baseUrl: string, workers: number) =>
  forEachWorker(baseUrl, workers, (name) => [
    `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
    `CREATE DATABASE ${name}`,
  ]);

export const dropWorkerDatabases = (baseUrl: string, workers: number) =>
  forEachWorker(baseUrl, workers, (name) => [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
