import type { GlobalConfig } from 'jest';
import { dropWorkerDatabases } from './worker-databases';

/** Drops the workers' PostgreSQL databases (each run starts from fresh ones anyway). */
export default async function globalTeardown(globalConfig: GlobalConfig): Promise<void> {
  if (process.env.DATABASE_URL) {
    await dropWorkerDatabases(process.env.DATABASE_URL, globalConfig.maxWorkers);
  }
}
