import { Logger } from '@nestjs/common';
import { type DataSource } from 'typeorm';

const logger = new Logger('Migrations');
/** Arbitrary but fixed: every process of one deployment takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_301_946_221;

/**
 * Applies pending migrations. Several api processes may start together against one PostgreSQL:
 * a session advisory lock lets exactly one migrate while the others wait, then find nothing to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const m of applied) logger.log(`applied ${m.name}`);
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * The SQL that would bring the database in line with the entities. Empty when the migrations and
 * the entities agree; CI fails otherwise (`npm run check:migrations`, and an e2e test).
 */
export async function pendingSchemaChanges(
  dataSource: DataSource,
): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((q) => q.query),
    down: sql.downQueries.map((q) => q.query),
  };
}
