import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { onPostgres, runCli } from '@kinship/testing';
import {
  activeMember,
  type Community,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';
import {
  act,
  auditEntries,
  moderatedGroup,
  type ModeratedGroup,
  report,
  resolve,
  sendMessage,
} from './moderation-fixtures';

/** Direct SQL on the suite's database: a pg client, or the embedded data directory itself. */
interface Sql {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
  close(): Promise<void>;
}

/**
 * The audit log: every action and held-content read, with who, what, target, reason and time;
 * scoped reading; append-only in the database; tampering found by verification.
 */
describe('moderation: audit log', () => {
  let c: Community;
  let m: ModeratedGroup;
  let heldPostId: string;

  beforeAll(async () => {
    c = await startCommunity();
    m = await moderatedGroup(c);
  });
  afterAll(async () => {
    await c?.t.close();
  });

  it('records every action in its transaction: who, what, target, reason, time', async () => {
    const { t } = c;
    const { group, gm, author, reporter, other } = m;
    const token = gm.accessToken;
    const started = new Date(Date.now() - 1000).toISOString();

    const rule = await t.post(
      '/moderation/rules',
      {
        groupId: group.id,
        pattern: 'buy now',
        matchType: 'phrase',
        action: 'hold',
        category: 'spam',
      },
      { token },
    );
    const thread = await newThread(t, group.id, author.accessToken);
    const reply = await newReply(t, thread.id, other.accessToken);
    const r1 = await report(t, reporter.accessToken, 'post', reply.id);
    await resolve(t, token, r1.id, { action: 'hide', reason: 'Hide it' });
    await act(t, token, {
      action: 'restore',
      targetType: 'post',
      targetId: reply.id,
      reason: 'Fine',
    });
    const r2 = await report(t, reporter.accessToken, 'post', thread.firstPost.id);
    await resolve(t, token, r2.id, { action: 'warn', reason: 'Be kind' });
    const member = { targetType: 'user', targetId: author.id, groupId: group.id };
    await act(t, token, { ...member, action: 'mute', reason: 'Pause', durationMinutes: 10 });
    await act(t, token, { ...member, action: 'unmute', reason: 'Early end' });
    await act(t, token, { ...member, action: 'ban', reason: 'Out' });
    await act(t, token, { ...member, action: 'unban', reason: 'Back' });
    const r3 = await report(t, reporter.accessToken, 'post', reply.id);
    await resolve(t, token, r3.id, { action: 'dismiss', reason: 'Nothing wrong' });
    await t.patch(`/groups/${group.id}/settings`, { slowModeSeconds: 10 }, { token });
    await t.patch(`/groups/${group.id}/settings`, { slowModeSeconds: 0 }, { token });
    const held = await newThread(t, group.id, other.accessToken, { body: 'buy now' });
    heldPostId = held.firstPost.id;
    const msg = await sendMessage(t, group.id, other.accessToken, 'buy now please');
    await t.post(`/moderation/held/${msg.id}/reject`, { reason: 'Spam' }, { token });
    const msg2 = await sendMessage(t, group.id, other.accessToken, 'buy now, sorry, joking');
    await t.post(`/moderation/held/${msg2.id}/approve`, undefined, { token });
    await act(t, token, {
      action: 'remove',
      targetType: 'message',
      targetId: msg2.id,
      reason: 'Not funny after all',
    });
    await t.delete(`/moderation/rules/${rule.body.id}`, { token });

    const entries = await auditEntries(t, token, `groupId=${group.id}`);
    const actions = entries.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'rule.create',
      'content.hide',
      'content.restore',
      'member.warn',
      'member.mute',
      'member.unmute',
      'member.ban',
      'member.unban',
      'report.dismiss',
      'settings.update',
      'settings.update',
      'content.reject',
      'content.approve',
      'content.remove',
      'rule.delete',
    ]);
    const seqs = entries.map((e) => BigInt(e.seq));
    expect(seqs.every((s, i) => i === 0 || s < seqs[i - 1])).toBe(true);
    for (const e of entries) {
      expect(e).toMatchObject({
        actor: { id: gm.id, handle: gm.handle },
        groupId: group.id,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(Date.parse(started));
    }
    const byAction = (a: string) => entries.find((e) => e.action === a);
    expect(byAction('content.hide')).toMatchObject({
      targetType: 'post',
      targetId: reply.id,
      reason: 'Hide it',
      details: { reportId: r1.id, closedReports: [r1.id], contentStatus: 'hidden' },
    });
    expect(byAction('member.mute')).toMatchObject({
      targetType: 'user',
      targetId: author.id,
      reason: 'Pause',
      details: { durationMinutes: 10, mutedUntil: expect.any(String) },
    });
    expect(byAction('member.warn')).toMatchObject({
      targetId: author.id,
      details: { reportId: r2.id, content: { type: 'post', id: thread.firstPost.id } },
    });
    expect(byAction('content.reject')).toMatchObject({ targetId: msg.id, reason: 'Spam' });

    // Filters: action, actor, target, time; pages follow nextCursor without gaps.
    const mutes = await auditEntries(t, token, `groupId=${group.id}&action=member.mute`);
    expect(mutes.map((e) => e.action)).toEqual(['member.mute']);
    const onReply = await auditEntries(t, token, `targetId=${reply.id}`);
    expect(onReply.map((e) => e.action).reverse()).toEqual([
      'content.hide',
      'content.restore',
      'report.dismiss',
    ]);
    expect(await auditEntries(t, token, `groupId=${group.id}&actorId=${reporter.id}`)).toEqual([]);
    expect(
      await auditEntries(t, token, `groupId=${group.id}&to=${encodeURIComponent(started)}`),
    ).toEqual([]);
    const page1 = await t.get(`/moderation/audit?groupId=${group.id}&limit=5`, { token });
    const page2 = await t.get(
      `/moderation/audit?groupId=${group.id}&limit=5&cursor=${page1.body.nextCursor}`,
      { token },
    );
    expect([...page1.body.items, ...page2.body.items].map((e: any) => e.seq)).toEqual(
      entries.slice(0, 10).map((e) => e.seq),
    );
    for (const bad of ['groupId=nope', 'from=yesterday', 'action=DROP%20TABLE', 'limit=0']) {
      expect((await t.get(`/moderation/audit?${bad}`, { token })).status).toBe(400);
    }

    // An action that fails inside its transaction leaves no entry (and an entry, no action).
    const ban = { ...member, action: 'ban', reason: 'Out again' };
    expect((await act(t, token, ban)).status).toBe(201);
    expect((await act(t, token, ban)).status).toBe(409);
    const after = await auditEntries(t, token, `groupId=${group.id}`);
    expect(after.length).toBe(entries.length + 1);
    expect(after[0]).toMatchObject({ action: 'member.ban', reason: 'Out again' });
  });

  it("moderators' reads of held content are logged: the queue, the thread, its posts", async () => {
    const { t } = c;
    const { group, gm, other } = m;
    const token = gm.accessToken;
    const before = await auditEntries(t, token, `targetId=${heldPostId}&action=held.read`);
    await t.get(`/moderation/queue?groupId=${group.id}`, { token });
    const thread = await t.get(`/moderation/queue?groupId=${group.id}`, { token });
    const heldThread = thread.body.items.find((i: any) => i.targetId === heldPostId);
    expect(heldThread).toBeDefined();
    const threadId = heldThread.target.thread.id;
    await t.get(`/threads/${threadId}`, { token });
    await t.get(`/threads/${threadId}/posts`, { token });
    // The author reading their own held post is no moderator's read.
    await t.get(`/threads/${threadId}/posts`, { token: other.accessToken });
    const reads = await auditEntries(t, token, `targetId=${heldPostId}&action=held.read`);
    expect(reads.length - before.length).toBe(4);
    expect(reads.slice(0, 4).map((e) => e.details.via)).toEqual([
      'posts',
      'thread',
      'queue',
      'queue',
    ]);
    expect(reads.every((e) => e.actor.id === gm.id && e.targetType === 'post')).toBe(true);
  });

  it('who reads what: members 403, group moderators their groups only, admins everything', async () => {
    const { t, admin, owner } = c;
    const { group, gm, author } = m;
    // An action in another group, by a platform moderator.
    const elsewhere = await activeMember(t, owner, [c.publicGroup]);
    await act(t, owner.accessToken, {
      action: 'warn',
      targetType: 'user',
      targetId: elsewhere.id,
      groupId: c.publicGroup.id,
      reason: 'Elsewhere',
    });
    expect((await t.get('/moderation/audit', { token: author.accessToken })).status).toBe(403);
    expect((await t.get('/moderation/audit')).status).toBe(401);
    const mine = await t.get('/moderation/audit?limit=100', { token: gm.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((e: any) => e.groupId === group.id)).toBe(true);
    const other = await t.get(`/moderation/audit?groupId=${c.publicGroup.id}`, {
      token: gm.accessToken,
    });
    expect(other.status).toBe(403);
    const all = await auditEntries(t, admin.accessToken, `actorId=${owner.id}`);
    expect(all.some((e) => e.groupId === c.publicGroup.id && e.reason === 'Elsewhere')).toBe(true);
    const staff = await auditEntries(t, owner.accessToken, `groupId=${group.id}`);
    expect(staff.length).toBeGreaterThan(0);
    expect((await t.get('/moderation/audit/verify', { token: gm.accessToken })).status).toBe(403);
    expect((await t.get('/moderation/audit/verify', { token: owner.accessToken })).status).toBe(
      403,
    );
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE; a row changed behind its back is found by verify (API and cli)', async () => {
    const { t, admin } = c;
    const verify = async () =>
      (await t.get('/moderation/audit/verify', { token: admin.accessToken })).body;
    const intact = await verify();
    expect(intact).toMatchObject({ ok: true, lastSeq: expect.any(String) });
    expect(intact.checked).toBeGreaterThan(10);
    const [target] = await auditEntries(
      t,
      m.gm.accessToken,
      `groupId=${m.group.id}&action=member.warn`,
    );
    const seq: string = target.seq;

    // The embedded database lives inside the api: stop it and open its data directory.
    if (!onPostgres()) await t.stop();
    const sql: Sql = await openDatabase(t.dataDir);
    try {
      for (const statement of [
        `UPDATE moderation_audit SET reason = 'rewritten' WHERE seq = ${seq}`,
        `DELETE FROM moderation_audit WHERE seq = ${seq}`,
        'TRUNCATE moderation_audit',
      ]) {
        await expect(sql.query(statement)).rejects.toThrow(/append-only/);
      }
      // Bypassing the trigger (as only a database superuser can) changes the row...
      await tamper(sql, seq, 'rewritten by an intruder');
      if (!onPostgres()) await sql.close();
      const cli = await runCli(['audit:verify'], onPostgres() ? {} : { DATA_DIR: t.dataDir! });
      expect(cli.code).toBe(1);
      expect(cli.output).toContain(`audit log broken at entry ${seq} (hash-mismatch)`);
      if (!onPostgres()) await t.restart();
      // ...and verification names it.
      const broken = await verify();
      expect(broken).toMatchObject({ ok: false, firstBrokenSeq: seq, problem: 'hash-mismatch' });
      expect(broken.checked).toBe(Number(seq) - 1);
    } finally {
      // The PostgreSQL database outlives the suite: put the row back as it was.
      if (onPostgres()) {
        await tamper(sql, seq, target.reason);
        await sql.close();
      }
    }
    if (onPostgres()) expect(await verify()).toMatchObject({ ok: true });
  });
});

async function openDatabase(dataDir: string | undefined): Promise<Sql> {
  if (onPostgres()) {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    return { query: (text, params) => client.query(text, params), close: () => client.end() };
  }
  const db = await PGlite.create({ dataDir: join(dataDir!, 'pg') });
  return {
    query: (text, params) => db.query(text, params) as Promise<{ rows: any[] }>,
    close: () => db.close(),
  };
}

/** Changes an entry's reason with triggers off for this transaction (replica mode). */
async function tamper(sql: Sql, seq: string, reason: string): Promise<void> {
  await sql.query('BEGIN');
  await sql.query('SET LOCAL session_replication_role = replica');
  await sql.query('UPDATE moderation_audit SET reason = $1 WHERE seq = $2', [reason, seq]);
  await sql.query('COMMIT');
}
