import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { onPostgres, sleep, TestApp } from '@kinship/testing';
import { CliDatabase, rounded, type TruthQuery } from './engagement-fixtures';

/**
 * The roll-up's watermark never passes over an event whose transaction commits later: event ids
 * are taken before commit, so a transaction holding a lower id can commit after one holding a
 * higher id. Writers here are plain PostgreSQL sessions writing to the log as the recorder does.
 * PostgreSQL only: the embedded database runs one transaction at a time, so commits there always
 * come in id order (the other engagement suites cover it).
 */
(onPostgres() ? describe : describe.skip)('engagement roll-up under concurrent writers', () => {
  let db: Client;
  let cli: CliDatabase;
  const CONTRIBUTIONS = ['thread_created', 'post_created', 'chat_message_sent'];

  beforeAll(async () => {
    cli = new CliDatabase();
    await cli.cli(['migrate']); // the suites' database may be new
    db = await connect();
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    cli?.close();
  });

  const connect = async () => {
    const c = new Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    return c;
  };

  /** An event as the recorder writes it; returns its id and transaction id. */
  const write = async (c: Client, group: string, user: string, kind: string, at = new Date()) => {
    const isChat = kind === 'chat_message_sent' || kind === 'chat_read';
    const { rows } = await c.query(
      `INSERT INTO engagement_events (user_id, group_id, kind, object_id, context_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text, tx_id::text`,
      [
        user,
        group,
        kind,
        isChat ? group : randomUUID(),
        CONTRIBUTIONS.includes(kind) ? (isChat ? group : randomUUID()) : null,
        at,
      ],
    );
    return rows[0] as { id: string; tx_id: string };
  };

  const watermark = async () =>
    BigInt((await db.query('SELECT tx_id::text FROM engagement_rollup_state')).rows[0]?.tx_id ?? 0);

  /** Rolls up until every transaction up to `txId` is in (other suites may hold the horizon). */
  const rollUpPast = async (txId: bigint) => {
    for (let i = 0; i < 60 && (await watermark()) < txId; i++) {
      await cli.cli(['engagement:rollup']);
      if ((await watermark()) < txId) await sleep(500);
    }
    expect(await watermark()).toBeGreaterThanOrEqual(txId);
  };

  const notRolledUp = async (group: string) =>
    Number(
      (
        await db.query(
          `SELECT count(*) FROM engagement_events e, engagement_rollup_state s
            WHERE e.group_id = $1 AND (e.tx_id, e.id) > (s.tx_id, s.event_id)`,
          [group],
        )
      ).rows[0].count,
    );

  const window = (group: string): TruthQuery => ({
    groupIds: [group],
    from: new Date(Date.now() - 3_600_000).toISOString(),
    to: new Date(Date.now() + 3_600_000).toISOString(),
    posterMinContributions: 1,
    participants: null,
  });

  const contributionsOf = async (q: TruthQuery, extra: string[] = []) =>
    Object.fromEntries(
      (await cli.metrics(q, extra)).members.map((m) => [m.userId, m.contributions]),
    );

  /** The daily roll-up rows of a group equal a GROUP BY over its events. */
  const expectDaysMatchLog = async (group: string) => {
    const rolled = await db.query(
      `SELECT user_id, day::text, threads + posts + chat_messages AS c, thread_reads + chat_reads AS r
         FROM engagement_member_days WHERE group_id = $1 ORDER BY 1, 2`,
      [group],
    );
    const raw = await db.query(
      `SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date::text AS day,
              count(*) FILTER (WHERE kind IN ('thread_created', 'post_created', 'chat_message_sent'))::int AS c,
              count(*) FILTER (WHERE kind IN ('thread_read', 'chat_read'))::int AS r
         FROM engagement_events
        WHERE group_id = $1 AND kind NOT IN ('group_joined', 'group_left')
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [group],
    );
    expect(rolled.rows).toEqual(raw.rows);
  };

  it('an event committed after a later id was rolled up is counted, once', async () => {
    const group = randomUUID();
    const [early, late] = [randomUUID(), randomUUID()];
    const joinedAt = new Date(Date.now() - 60_000);
    for (const u of [early, late]) await write(db, group, u, 'group_joined', joinedAt);

    const held = await connect();
    let b: { id: string; tx_id: string };
    try {
      await held.query('BEGIN');
      const a = await write(held, group, early, 'chat_message_sent');
      b = await write(db, group, late, 'chat_message_sent');
      expect(BigInt(b.id)).toBeGreaterThan(BigInt(a.id));

      await cli.cli(['engagement:rollup']);
      // The watermark stops below the open transaction (and so below b, which began after it).
      expect(await watermark()).toBeLessThan(BigInt(a.tx_id));
      expect(await contributionsOf(window(group))).toEqual({ [early]: 0, [late]: 1 });
      await held.query('COMMIT');
    } finally {
      await held.end();
    }
    const q = window(group);
    expect(await contributionsOf(q)).toEqual({ [early]: 1, [late]: 1 });
    await rollUpPast(BigInt(b.tx_id));
    expect(await contributionsOf(q)).toEqual({ [early]: 1, [late]: 1 });
    await expectDaysMatchLog(group);
  }, 120_000);

  it('writers committing out of order while the api rolls up every 20 ms: nothing lost or doubled', async () => {
    const api = await TestApp.start({
      ENGAGEMENT_ROLLUP_INTERVAL_MS: '20',
      ENGAGEMENT_ROLLUP_BATCH: '100',
    });
    try {
      const group = randomUUID();
      const users = Array.from({ length: 12 }, () => randomUUID());
      for (const u of users)
        await write(db, group, u, 'group_joined', new Date(Date.now() - 60_000));
      const committed = new Map<string, number>(users.map((u) => [u, 0]));
      const marks = new Set<bigint>();
      const deadline = Date.now() + 4_000;
      const writer = async () => {
        const c = await connect();
        while (Date.now() < deadline) {
          await c.query('BEGIN');
          const mine: string[] = [];
          for (let i = 1 + Math.floor(Math.random() * 4); i > 0; i--) {
            const user = users[Math.floor(Math.random() * users.length)];
            const kind = ['chat_message_sent', 'post_created', 'thread_read', 'chat_read'][
              Math.floor(Math.random() * 4)
            ];
            await write(c, group, user, kind);
            if (CONTRIBUTIONS.includes(kind)) mine.push(user);
          }
          await sleep(Math.random() * 30); // hold the transaction open while others commit
          if (Math.random() < 0.15) await c.query('ROLLBACK');
          else {
            await c.query('COMMIT');
            for (const u of mine) committed.set(u, committed.get(u)! + 1);
          }
        }
        await c.end();
      };
      const watch = (async () => {
        while (Date.now() < deadline) {
          marks.add(await watermark());
          await sleep(25);
        }
      })();
      await Promise.all([writer(), writer(), writer(), writer(), writer(), watch]);
      // The api rolled up many times while transactions overlapped.
      expect(marks.size).toBeGreaterThan(5);

      const q = window(group);
      expect(await contributionsOf(q)).toEqual(Object.fromEntries(committed));
      for (let i = 0; i < 120 && (await notRolledUp(group)) > 0; i++) await sleep(250);
      expect(await notRolledUp(group)).toBe(0);
      await expectDaysMatchLog(group);
      const rolled = await cli.metrics(q);
      expect(rolled.members.map((m) => m.contributions)).toEqual(
        rolled.members.map((m) => committed.get(m.userId)),
      );
      expect(rounded(rolled.groups)).toEqual(
        rounded((await cli.metrics(q, ['--from-log'])).groups),
      );
    } finally {
      await api.close();
    }
  }, 180_000);
});
