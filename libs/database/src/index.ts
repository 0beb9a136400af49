export * from './database.config';
export * from './database.module';
export * from './database.health';
export * from './data-source';
export * from './embedded-postgres';
export * from './migrator';
export * from './transaction';
export * from './errors';
