import { type EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A statement name per connection: the embedded server serves every connection in one session. */
const connectionIds = new WeakMap<object, number>();
let nextConnectionId = 0;

/**
 * Runs `text` as a named prepared statement on the manager's connection (inside its transaction,
 * if any) or on a pooled one: PostgreSQL parses and plans it once per connection instead of on
 * every call. For hot statements with a fixed text (arrays as parameters, not generated VALUES
 * lists); errors are QueryFailedError, as from `manager.query`.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  // Outside a transaction, a pooled connection straight from the driver: no query runner and
  // entity manager built per call.
  const [client, release] = manager.queryRunner
    ? [(await manager.queryRunner.connect()) as PgClient, undefined]
    : ((await (manager.connection.driver as PostgresDriver).obtainMasterConnection()) as [
        PgClient,
        () => void,
      ]);
  try {
    let id = connectionIds.get(client);
    if (id === undefined) connectionIds.set(client, (id = nextConnectionId++));
    const { rows } = await client.query({ name: `${name}_${id}`, text, values });
    return rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  } finally {
    release?.();
  }
}
