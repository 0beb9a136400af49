import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Initialising an embedded data directory takes seconds; do it once per run and let every suite
 * start from a copy (migrations then run in each app, as in production).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const template = join(process.cwd(), '.tmp', 'pglite-template');
  if (existsSync(join(template, 'PG_VERSION'))) return;
  mkdirSync(template, { recursive: true });
  const db = await PGlite.create({ dataDir: template });
  await db.query('SELECT 1');
  await db.close();
}
