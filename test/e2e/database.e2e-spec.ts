import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  connectSocket,
  createGroup,
  emitAck,
  freePort,
  joinGroup,
  login,
  onPostgres,
  registerUser,
  runApi,
  runCli,
  TEST_JWT_SECRET,
  TestApp,
  type TestUser,
  uniqueSuffix,
  userWithRole,
} from '@kinship/testing';

const itEmbedded = onPostgres() ? it.skip : it;
const itPg = onPostgres() ? it : it.skip;

/** Polls `check` until it holds or `timeoutMs` passes; resolves with the last answer. */
async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

/** A superuser session on the suites' PostgreSQL (for pg_terminate_backend, ALTER DATABASE). */
async function admin(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

describe('database: schema', () => {
  // On Postgres the check runs against DATABASE_URL; embedded, on a scratch directory.
  it('the migrations match the entities (migration:check)', async () => {
    const { code, output } = await runCli(['migration:check']);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('agree') });
  });
});

describe('database: embedded durability', () => {
  let t: TestApp;
  beforeAll(async () => {
    if (!onPostgres()) t = await TestApp.start();
  });
  afterAll(() => t?.close());

  itEmbedded('keeps accounts across a graceful restart and across SIGKILL', async () => {
    const before = await registerUser(t);
    await t.restart();
    expect((await login(t, before.email, before.password)).id).toBe(before.id);

    // Written just before a hard kill: committed means durable.
    const last = await registerUser(t);
    await t.restart('SIGKILL');
    expect((await login(t, before.email, before.password)).id).toBe(before.id);
    expect((await login(t, last.email, last.password)).id).toBe(last.id);
    // Tokens survive too: the generated JWT secret lives in DATA_DIR.
    expect((await t.get('/me', { token: last.accessToken })).status).toBe(200);
  });

  itEmbedded('refuses a second process on the same DATA_DIR, naming it', async () => {
    const second = await runApi({ DATA_DIR: t.dataDir!, PORT: String(await freePort()) });
    expect(second.timedOut).toBe(false);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain('DATA_DIR');
    expect(second.output).toContain(t.dataDir!);
    // The refused process left the running one and its lock alone.
    expect((await t.get('/health')).status).toBe(200);
    const again = await runApi({ DATA_DIR: t.dataDir!, PORT: String(await freePort()) });
    expect(again.code).not.toBe(0);
  });

  itEmbedded('starts on an empty DATA_DIR that does not exist yet', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kinship-fresh-'));
    const fresh = await TestApp.start({ DATA_DIR: join(parent, 'nested', 'data') });
    try {
      await registerUser(fresh);
    } finally {
      await fresh.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

/**
 * Each outage test gets a database of its own on the suites' server: killing connections on the
 * shared one would break the suites running beside this one.
 */
describe('database: PostgreSQL outages', () => {
  let client: Client;
  let name: string;
  let t: TestApp;
  let adminUser: TestUser;
  beforeEach(async () => {
    if (!onPostgres()) return;
    name = `kinship_outage_${uniqueSuffix()}`;
    client = await admin();
    await client.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    ({ t, admin: adminUser } = await TestApp.startWithAdmin({ DATABASE_URL: url.toString() }));
  });
  afterEach(async () => {
    if (!onPostgres()) return;
    await t?.close();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  const terminateBackends = () =>
    client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND application_name = 'kinship-api'`,
      [name],
    );

  itPg('heals when its connections are killed, without a restart', async () => {
    const user = await registerUser(t);
    expect((await terminateBackends()).rowCount).toBeGreaterThan(0);
    const health = await eventually(
      () => t.get('/health'),
      (res) => res.status === 200,
      5_000,
    );
    expect(health.status).toBe(200);
    // Same process (no restart happened), still serving real queries.
    expect((await login(t, user.email, user.password)).id).toBe(user.id);
    expect(t.output).not.toMatch(/uncaught|unhandled/i);
  });

  itPg('reports 503 while its database refuses connections, then 200 again', async () => {
    const user = await registerUser(t);
    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await terminateBackends();
    const down = await eventually(
      () => t.get('/health'),
      (res) => res.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', database: { status: 'down' } });
    expect(down.text).not.toContain(name);
    // An API call answers a 503 the client can retry: the driver's message stays in the log.
    const failed = await t.post('/auth/login', { email: user.email, password: user.password });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    expect(failed.text).not.toMatch(new RegExp(`${name}|accepting connections|\\bat \\S+ \\(`));
    expect((await t.get('/health/live')).status).toBe(200);

    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    const up = await eventually(
      () => t.get('/health'),
      (res) => res.status === 200,
    );
    expect(up.status).toBe(200);
    expect((await login(t, user.email, user.password)).id).toBe(user.id);
  });

  itPg(
    'answers a chat send 503 during an outage; the retry afterwards is stored once',
    async () => {
      const moderator = await userWithRole(t, adminUser.accessToken, 'moderator');
      const groupId = (await createGroup(t, moderator.accessToken)).id;
      const member = await registerUser(t);
      await joinGroup(t, groupId, member.accessToken, member.id);
      const socket = await connectSocket(t, member.accessToken);
      try {
        const send = { groupId, clientMsgId: randomUUID(), body: 'Is anyone else awake?' };
        await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await terminateBackends();
        const refused = await emitAck(socket, 'chat:send', send);
        expect(refused).toMatchObject({
          ok: false,
          error: { status: 503, title: 'Service unavailable', retryAfterSeconds: 5 },
        });
        expect(JSON.stringify(refused)).not.toContain(name);

        await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        const stored = await eventually(
          () => emitAck(socket, 'chat:send', send),
          (ack) => ack.ok === true,
        );
        expect(stored).toMatchObject({ ok: true, message: { clientMsgId: send.clientMsgId } });
        const again = await emitAck(socket, 'chat:send', send);
        expect(again.message.id).toBe(stored.message.id);
        const history = await t.get(`/groups/${groupId}/messages`, { token: member.accessToken });
        expect(
          history.body.items.filter((m: { body: string }) => m.body === send.body),
        ).toHaveLength(1);
      } finally {
        socket.close();
      }
    },
  );
});

describe('database: unreachable PostgreSQL', () => {
  // The module retries a real server 5 times, 2 s apart (it may still be starting): a refused
  // connection gives up after ~10 s. A silently dropping host would take up to 6 × 5 s connect
  // timeouts plus the delays.
  it('exits non-zero, and does not hang, when PostgreSQL cannot be reached', async () => {
    const run = await runApi(
      {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
        JWT_SECRET: TEST_JWT_SECRET,
        PORT: String(await freePort()),
      },
      25_000,
    );
    expect(run.timedOut).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.ms).toBeLessThan(20_000);
    expect(run.output).toMatch(/ECONNREFUSED|Unable to connect to the database/);
  }, 30_000);
});
