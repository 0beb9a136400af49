import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, newAdminCredentials, runApi, TEST_JWT_SECRET } from '@kinship/testing';

/** A URL that passes validation; nothing is ever connected to, the process must stop first. */
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:1/kinship';

/**
 * A bad environment stops the api at once, with a message naming the variable, instead of
 * half-starting. Spawned directly: TestApp.start waits for a health check that never comes.
 */
describe('config: a bad environment fails fast', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kinship-config-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cases: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['PORT=70000', { PORT: '70000' }, 'PORT'],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['BODY_LIMIT_BYTES=-1', { BODY_LIMIT_BYTES: '-1' }, 'BODY_LIMIT_BYTES'],
    ['TRUST_PROXY=sometimes', { TRUST_PROXY: 'sometimes' }, 'TRUST_PROXY'],
    ['REDIS_URL=http://…', { REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [
      'DATABASE_URL=mysql://x',
      { DATABASE_URL: 'mysql://x', JWT_SECRET: TEST_JWT_SECRET },
      'DATABASE_URL',
    ],
    ['DATABASE_POOL_SIZE=0', { DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    ['DATABASE_SSL=maybe', { DATABASE_SSL: 'maybe' }, 'DATABASE_SSL'],
    [
      'JWT_SECRET=short with DATABASE_URL',
      { DATABASE_URL: PG_URL, JWT_SECRET: 'short' },
      'JWT_SECRET',
    ],
    ['no JWT_SECRET with DATABASE_URL', { DATABASE_URL: PG_URL }, 'JWT_SECRET'],
    [
      'BOOTSTRAP_ADMIN_EMAIL without BOOTSTRAP_ADMIN_PASSWORD',
      { BOOTSTRAP_ADMIN_EMAIL: newAdminCredentials().email },
      'BOOTSTRAP_ADMIN_PASSWORD',
    ],
    [
      'BOOTSTRAP_ADMIN_EMAIL that is no email',
      { BOOTSTRAP_ADMIN_EMAIL: 'admin', BOOTSTRAP_ADMIN_PASSWORD: 'steady-harbour-1' },
      'BOOTSTRAP_ADMIN_EMAIL',
    ],
  ];

  it.each(cases)('%s', async (_label, bad, variable) => {
    const run = await runApi({ DATA_DIR: dataDir, PORT: String(await freePort()), ...bad });
    expect(run.timedOut).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.output).toContain('Invalid configuration');
    expect(run.output).toContain(`${variable}:`);
    // The variables, not a stack trace of where we read them.
    expect(run.output).not.toMatch(/^\s+at \S/m);
  });
});
