import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig } from './database.config';
import { buildDataSourceOptions, openDataSource } from './data-source';
import { EmbeddedPostgres } from './embedded-postgres';
import { DatabaseHealth } from './database.health';
import { runMigrations } from './migrator';

/** What the options factory decided, handed to the data-source factory (keyed by URL). */
const startupByUrl = new Map<string, { embedded?: EmbeddedPostgres; migrate: boolean }>();

@Module({})
export class DatabaseModule {
  /**
   * The application's database: entities come from each feature's TypeOrmModule.forFeature
   * (autoLoadEntities); migrations are applied at start unless DATABASE_MIGRATE_ON_START=false.
   */
  static forRoot(applicationName: string): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        ConfigModule.forFeature(databaseConfig),
        TypeOrmModule.forRootAsync({
          imports: [ConfigModule.forFeature(databaseConfig)],
          inject: [databaseConfig.KEY],
          useFactory: async (config: ConfigType<typeof databaseConfig>) => {
            const { options, embedded } = await buildDataSourceOptions(config, [], applicationName);
            const withAutoLoad = {
              ...options,
              autoLoadEntities: true,
              // A real server may still be starting; the embedded one either opens or never will.
              retryAttempts: config.url ? 5 : 0,
              retryDelay: 2_000,
            };
            startupByUrl.set(config.url ?? embedded!.url, {
              embedded,
              migrate: config.migrateOnStart,
            });
            return withAutoLoad;
          },
          dataSourceFactory: async (options) => {
            const url = (options as { url: string }).url;
            const startup = startupByUrl.get(url);
            const dataSource = await openDataSource(options!, startup?.embedded);
            if (startup?.migrate ?? true) await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseHealth],
      exports: [DatabaseHealth],
    };
  }
}
