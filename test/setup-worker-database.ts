import { workerDatabaseUrl } from './worker-databases';

// Each e2e suite on PostgreSQL talks to its worker's database (see worker-databases.ts); jest
// gives every test file its own copy of process.env, so this holds for the file alone.
if (process.env.DATABASE_URL) {
  process.env.DATABASE_URL = workerDatabaseUrl(
    process.env.DATABASE_URL,
    process.env.JEST_WORKER_ID ?? '1',
  );
}
