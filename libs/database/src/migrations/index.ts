import type { MigrationInterface } from 'typeorm';
import { Identity1795238746373 } from './1795238746373-identity';
import { CommunitiesEngagement1795239443666 } from './1795239443666-communities-engagement';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so the same list loads in the built
 * apps and in the test runner. `npm run migration:generate -- Name` writes the next one.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Identity1795238746373,
  CommunitiesEngagement1795239443666,
];
