import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import {
  collect,
  connectSocket,
  emitAck,
  joinGroup,
  registerUser,
  sleep,
  TestApp,
  type TestUser,
} from '@kinship/testing';
import { scaleReady, startTwoApiProcesses, type TwoApiProcesses } from './two-api-processes';

/**
 * Several api processes sharing one PostgreSQL and one Redis (the production shape). Needs
 * DATABASE_URL and REDIS_URL; run alone (`npm run test:scale`), since it stops and starts Redis.
 */
const REDIS_START =
  process.env.REDIS_START_COMMAND ??
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

(scaleReady() ? describe : describe.skip)('chat across api processes', () => {
  let processes: TwoApiProcesses;
  let a: TestApp;
  let b: TestApp;
  let db: Client;
  let rosa: TestUser;
  let sam: TestUser;
  let groupId: string;
  const sockets: Socket[] = [];
  const on = async (app: TestApp, user: TestUser) => {
    const s = await connectSocket(app, user.accessToken);
    sockets.push(s);
    expect(await emitAck(s, 'chat:subscribe', { groupId })).toMatchObject({ ok: true });
    return s;
  };

  beforeAll(async () => {
    processes = await startTwoApiProcesses();
    ({ a, b } = processes);
    groupId = processes.group.id;
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    rosa = await registerUser(a);
    sam = await registerUser(b);
    await joinGroup(a, groupId, rosa.accessToken, rosa.id);
    await joinGroup(b, groupId, sam.accessToken, sam.id);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await db?.end();
    await processes?.close();
  });

  const stored = async (clientMsgIds: string[]) =>
    (
      await db.query(
        `SELECT client_msg_id, count(*)::int AS n FROM chat_messages WHERE client_msg_id = ANY($1) GROUP BY 1`,
        [clientMsgIds],
      )
    ).rows as { client_msg_id: string; n: number }[];

  it('messages sent on one process reach clients of the other; presence counts both', async () => {
    const onA = await on(a, rosa);
    const onB = await on(b, sam);
    const atB = collect(onB, 'chat:message');
    const atA = collect(onA, 'chat:message');
    const fromA = await emitAck(onA, 'chat:send', {
      groupId,
      clientMsgId: randomUUID(),
      body: 'hello from A',
    });
    const fromB = await emitAck(onB, 'chat:send', {
      groupId,
      clientMsgId: randomUUID(),
      body: 'hello from B',
    });
    await sleep(500);
    expect(atB.map((m) => m.id)).toContain(fromA.message.id);
    expect(atA.map((m) => m.id)).toContain(fromB.message.id);
    const again = await emitAck(onA, 'chat:subscribe', { groupId });
    expect(again.online).toBe(2);
  });

  it('kill -9 of one process mid-stream: every acknowledged message is stored exactly once, and its clients carry on through the other', async () => {
    const victim = await TestApp.start(processes.env);
    const listener = await on(b, sam);
    const received = collect(listener, 'chat:message');
    let sender = await on(victim, rosa);
    const acked: string[] = [];
    const attempted: string[] = [];
    let killed = false;
    for (let i = 0; i < 60; i++) {
      if (i === 20) {
        void victim.stop('SIGKILL');
        killed = true;
      }
      const clientMsgId = randomUUID();
      attempted.push(clientMsgId);
      // A client retries the same clientMsgId until it gets an ack, reconnecting elsewhere.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          if (!sender.connected) sender = await on(b, rosa);
          const ack = await sender
            .timeout(2_000)
            .emitWithAck('chat:send', { groupId, clientMsgId, body: `stream ${i}` });
          if (ack.ok) {
            acked.push(clientMsgId);
            break;
          }
          await sleep(100); // e.g. 503 while the process shuts down: try again
        } catch {
          await sleep(100);
        }
      }
    }
    expect(killed).toBe(true);
    expect(acked).toHaveLength(60);
    const rows = await stored(acked);
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    await sleep(500);
    const delivered = new Set(received.map((m) => m.clientMsgId));
    // Everything sent after the failover reached the other process's client.
    expect(acked.slice(25).every((id) => delivered.has(id))).toBe(true);
  });

  it('a Redis outage crashes nothing, loses no acknowledged message, and fan-out resumes', async () => {
    const onA = await on(a, rosa);
    const onB = await on(b, sam);
    const atB = collect(onB, 'chat:message');
    execSync('redis-cli -p 6379 shutdown nosave || true');
    const acked: string[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const clientMsgId = randomUUID();
        const ack = await emitAck(onA, 'chat:send', {
          groupId,
          clientMsgId,
          body: `during outage ${i}`,
        }).catch(() => undefined);
        if (ack?.ok) acked.push(clientMsgId);
        await sleep(200);
      }
    } finally {
      execSync(REDIS_START);
    }
    for (
      let i = 0;
      i < 50 && execSync('redis-cli -p 6379 ping || true').toString().trim() !== 'PONG';
      i++
    )
      await sleep(100);
    expect((await a.get('/health')).status).toBe(200);
    expect((await b.get('/health')).status).toBe(200);
    expect((await stored(acked)).length).toBe(acked.length);

    // Fan-out resumes: a message after the outage crosses processes again.
    let crossed = false;
    for (let i = 0; i < 30 && !crossed; i++) {
      const after = await emitAck(onA, 'chat:send', {
        groupId,
        clientMsgId: randomUUID(),
        body: `after outage ${i}`,
      });
      await sleep(300);
      crossed = atB.some((m) => m.id === after.message?.id);
    }
    expect(crossed).toBe(true);
  });
});
