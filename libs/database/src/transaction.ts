import { type DataSource, type EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction (READ COMMITTED, PostgreSQL's default: not set explicitly, which
 * would cost a round trip). Everything inside must use the given manager: the embedded database
 * runs one transaction at a time, so a query on another connection would wait forever.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(work);
}
