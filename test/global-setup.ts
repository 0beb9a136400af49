import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { GlobalConfig } from 'jest';
import { createWorkerDatabases } from './worker-databases';

/**
 * On PostgreSQL: a fresh database per jest worker. Embedded: initialising a data directory takes
 * seconds; do it once per run and let every suite start from a copy (migrations then run in each
 * app, as in production).
 */
export default async function globalSetup(globalConfig: GlobalConfig): Promise<void> {
  if (process.env.DATABASE_URL) {
    await createWorkerDatabases(process.env.DATABASE_URL, globalConfig.maxWorkers);
    return;
  }
  const template = join(process.cwd(), '.tmp', 'pglite-template');
  if (existsSync(join(template, 'PG_VERSION'))) return;
  mkdirSync(template, { recursive: true });
  const db = await PGlite.create({ dataDir: template });
  await db.query('SELECT 1');
  await db.close();
}
