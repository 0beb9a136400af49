import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { type DatabaseConfig } from './database.config';
import { EmbeddedPostgres } from './embedded-postgres';
import { MIGRATIONS } from './migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

/**
 * The one TypeORM data source of every app (api, worker, cli, tests): real PostgreSQL when
 * DATABASE_URL is set, the embedded database otherwise. `synchronize` is never on: the schema
 * comes from the migration files only.
 */
export async function buildDataSourceOptions(
  config: DatabaseConfig,
  entities: Entities,
  applicationName: string,
): Promise<{ options: DataSourceOptions; embedded?: EmbeddedPostgres }> {
  const embedded = config.url
    ? undefined
    : await EmbeddedPostgres.start(config.dataDir, config.poolSize + 4);
  const options: DataSourceOptions = {
    type: 'postgres',
    url: config.url ?? embedded!.url,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is core PostgreSQL; the uuid-ossp extension does not exist embedded.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName,
    poolSize: config.poolSize,
    connectTimeoutMS: 5_000,
    extra: {
      statement_timeout: config.statementTimeoutMs,
      // Idle connections are recycled, so a database restart heals without a process restart.
      idleTimeoutMillis: 30_000,
    },
  };
  return { options, embedded };
}

/** Opens the data source; closing it also stops the embedded server, if one was started. */
export async function openDataSource(
  options: DataSourceOptions,
  embedded?: EmbeddedPostgres,
): Promise<DataSource> {
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  if (embedded) {
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = async () => {
      await destroy();
      await embedded.stop();
    };
  }
  return dataSource;
}
