import { type EntityManager, QueryFailedError } from 'typeorm';

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
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    let id = connectionIds.get(client);
    if (id === undefined) connectionIds.set(client, (id = nextConnectionId++));
    const { rows } = await client.query({ name: `${name}_${id}`, text, values });
    return rows as T[];
  } catch (error) {
    throw error instanceof QueryFailedError
      ? error
      : new QueryFailedError(text, values, error as Error);
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
