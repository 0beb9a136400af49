import type { MigrationInterface } from 'typeorm';
import { Identity1795238746373 } from './1795238746373-identity';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so the same list loads in the built
 * apps and in the test runner. `npm run migration:generate -- Name` writes the next one.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Identity1795238746373];
