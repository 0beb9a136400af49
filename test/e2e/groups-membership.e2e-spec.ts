import { Client } from 'pg';
import {
  createGroup,
  joinGroup,
  onPostgres,
  registerUser,
  TestApp,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

const UNKNOWN = '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f';

describe('groups: joining, leaving, approving, roles', () => {
  let t: TestApp;
  let admin: TestUser;
  let moderator: TestUser;
  beforeAll(async () => {
    ({ t, admin } = await TestApp.startWithAdmin());
    moderator = await userWithRole(t, admin.accessToken, 'moderator');
  });
  afterAll(() => t?.close());

  const group = (id: string, token?: string) => t.get(`/groups/${id}`, { token });

  it('an open group admits at once; leaving and rejoining keep the count right', async () => {
    const g = await createGroup(t, moderator.accessToken);
    const member = await registerUser(t);
    const join = await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken });
    expect(join.status).toBe(201);
    expect(join.body).toEqual({ status: 'active', role: 'member' });
    expect((await group(g.id, member.accessToken)).body).toMatchObject({
      memberCount: 2,
      membership: { status: 'active', role: 'member' },
    });
    const again = await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken });
    expect(again.status).toBe(409);
    expect((await group(g.id)).body.memberCount).toBe(2);

    expect(
      (await t.delete(`/groups/${g.id}/members/me`, { token: member.accessToken })).status,
    ).toBe(204);
    expect((await group(g.id, member.accessToken)).body).toMatchObject({
      memberCount: 1,
      membership: { status: 'left' },
    });
    expect(
      (await t.delete(`/groups/${g.id}/members/me`, { token: member.accessToken })).status,
    ).toBe(404);
    expect(
      (await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken })).status,
    ).toBe(201);
    expect((await group(g.id)).body.memberCount).toBe(2);
  });

  it('an approval group records a request that a group moderator approves', async () => {
    const g = await createGroup(t, moderator.accessToken, { joinPolicy: 'approval' });
    const member = await registerUser(t);
    const join = await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken });
    expect(join.body).toEqual({ status: 'pending', role: 'member' });
    expect((await group(g.id)).body.memberCount).toBe(1);

    const pending = await t.get(`/groups/${g.id}/members?status=pending`, {
      token: moderator.accessToken,
    });
    expect(pending.status).toBe(200);
    expect(pending.body.items).toEqual([
      {
        user: { id: member.id, handle: member.handle },
        status: 'pending',
        role: 'member',
        requestedAt: expect.any(String),
        joinedAt: null,
        mutedUntil: null,
      },
    ]);
    expect(pending.text).not.toContain('@');

    const approve = await t.patch(
      `/groups/${g.id}/members/${member.id}`,
      { status: 'active' },
      { token: moderator.accessToken },
    );
    expect(approve.status).toBe(200);
    expect(approve.body).toMatchObject({ status: 'active', joinedAt: expect.any(String) });
    expect((await group(g.id)).body.memberCount).toBe(2);
    // approving twice changes nothing
    expect(
      (
        await t.patch(
          `/groups/${g.id}/members/${member.id}`,
          { status: 'active' },
          { token: moderator.accessToken },
        )
      ).status,
    ).toBe(200);
    expect((await group(g.id)).body.memberCount).toBe(2);
  });

  it('a pending member can withdraw the request', async () => {
    const g = await createGroup(t, moderator.accessToken, { joinPolicy: 'approval' });
    const member = await registerUser(t);
    await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken });
    expect(
      (await t.delete(`/groups/${g.id}/members/me`, { token: member.accessToken })).status,
    ).toBe(204);
    const list = await t.get(`/groups/${g.id}/members?status=pending`, {
      token: moderator.accessToken,
    });
    expect(list.body.items).toEqual([]);
  });

  it('only group moderators (and platform staff) list or manage members', async () => {
    const g = await createGroup(t, moderator.accessToken);
    const member = await registerUser(t);
    const other = await registerUser(t);
    await joinGroup(t, g.id, member.accessToken, member.id);
    await joinGroup(t, g.id, other.accessToken, other.id);
    const asMember = await t.get(`/groups/${g.id}/members`, { token: member.accessToken });
    expect(asMember.status).toBe(403);
    expect(asMember.body.type).toBe('/problems/group-moderator-required');
    const promote = await t.patch(
      `/groups/${g.id}/members/${other.id}`,
      { role: 'moderator' },
      { token: member.accessToken },
    );
    expect(promote.status).toBe(403);
    expect((await t.get(`/groups/${g.id}/members`, { token: admin.accessToken })).status).toBe(200);
    const all = await t.get(`/groups/${g.id}/members`, { token: moderator.accessToken });
    expect(all.body.items.map((m: { user: { id: string } }) => m.user.id)).toEqual([
      moderator.id,
      member.id,
      other.id,
    ]);
  });

  it('role changes: a member becomes moderator; the last moderator stays', async () => {
    const g = await createGroup(t, moderator.accessToken);
    const member = await registerUser(t);
    await joinGroup(t, g.id, member.accessToken, member.id);

    // The group creator cannot step down or leave while they are the only moderator.
    const demoteSelf = await t.patch(
      `/groups/${g.id}/members/${moderator.id}`,
      { role: 'member' },
      { token: moderator.accessToken },
    );
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.type).toBe('/problems/last-group-moderator');
    expect(
      (await t.delete(`/groups/${g.id}/members/me`, { token: moderator.accessToken })).status,
    ).toBe(409);

    const promote = await t.patch(
      `/groups/${g.id}/members/${member.id}`,
      { role: 'moderator' },
      { token: moderator.accessToken },
    );
    expect(promote.status).toBe(200);
    expect(promote.body.role).toBe('moderator');
    // the new group moderator (a plain platform member) now manages members
    expect((await t.get(`/groups/${g.id}/members`, { token: member.accessToken })).status).toBe(
      200,
    );
    expect(
      (await t.delete(`/groups/${g.id}/members/me`, { token: moderator.accessToken })).status,
    ).toBe(204);
  });

  it('bad input and unknown members', async () => {
    const g = await createGroup(t, moderator.accessToken);
    const member = await registerUser(t);
    await joinGroup(t, g.id, member.accessToken, member.id);
    const url = `/groups/${g.id}/members/${member.id}`;
    for (const [body, field] of [
      [{ status: 'banned' }, 'status'],
      [{ role: 'owner' }, 'role'],
      [{ role: 'moderator', handle: 'x' }, 'handle'],
    ] as const) {
      const res = await t.patch(url, body, { token: moderator.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
    expect(
      (
        await t.patch(
          `/groups/${g.id}/members/${UNKNOWN}`,
          { role: 'moderator' },
          { token: moderator.accessToken },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await t.patch(
          `/groups/${g.id}/members/nope`,
          { role: 'moderator' },
          { token: moderator.accessToken },
        )
      ).status,
    ).toBe(400);
    expect(
      (await t.post(`/groups/${UNKNOWN}/members`, undefined, { token: member.accessToken })).status,
    ).toBe(404);
    expect(
      (await t.post('/groups/nope/members', undefined, { token: member.accessToken })).status,
    ).toBe(400);
    expect((await t.post(`/groups/${g.id}/members`)).status).toBe(401);
    expect(
      (await t.get(`/groups/${g.id}/members?status=gone`, { token: moderator.accessToken })).status,
    ).toBe(400);
  });

  (onPostgres() ? describe : describe.skip)('engagement events (PostgreSQL)', () => {
    let db: Client;
    beforeAll(async () => {
      db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
    });
    afterAll(() => db?.end());

    it('records group_joined on activation and group_left on leaving, once each', async () => {
      const g = await createGroup(t, moderator.accessToken, { joinPolicy: 'approval' });
      const member = await registerUser(t);
      await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken });
      const kinds = async () =>
        (
          await db.query(
            `SELECT kind FROM engagement_events WHERE user_id = $1 AND group_id = $2 ORDER BY id`,
            [member.id, g.id],
          )
        ).rows.map((r) => r.kind);
      expect(await kinds()).toEqual([]); // a request is not a membership yet
      await t.patch(
        `/groups/${g.id}/members/${member.id}`,
        { status: 'active' },
        { token: moderator.accessToken },
      );
      await t.post(`/groups/${g.id}/members`, undefined, { token: member.accessToken }); // 409, no event
      await t.delete(`/groups/${g.id}/members/me`, { token: member.accessToken });
      expect(await kinds()).toEqual(['group_joined', 'group_left']);
    });

    it('records one visit per member per UTC day', async () => {
      const member = await registerUser(t);
      for (let i = 0; i < 3; i++) await t.get('/me', { token: member.accessToken });
      await new Promise((r) => setTimeout(r, 1_500)); // reads and visits are flushed every second
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM engagement_events WHERE user_id = $1 AND kind = 'visit'`,
        [member.id],
      );
      expect(rows[0].n).toBe(1);
    });
  });
});
