import {
  login,
  onPostgres,
  registerUser,
  TestApp,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

describe('identity: roles, admin, suspension', () => {
  let t: TestApp;
  let admin: TestUser;
  let credentials: { email: string; password: string };
  beforeAll(async () => {
    ({ t, admin, credentials } = await TestApp.startWithAdmin());
  });
  afterAll(() => t?.close());

  it('creates the bootstrap admin once, and keeps it across restarts', async () => {
    expect(admin.role).toBe('admin');
    await t.restart();
    const again = await login(t, credentials.email, credentials.password);
    expect(again.id).toBe(admin.id);
  });

  it('a member on an admin route gets 403; no token gets 401', async () => {
    const member = await registerUser(t);
    const res = await t.patch(
      `/admin/users/${member.id}`,
      { role: 'moderator' },
      { token: member.accessToken },
    );
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/role-required');
    expect((await t.patch(`/admin/users/${member.id}`, { role: 'moderator' })).status).toBe(401);
    // nothing changed
    const me = await t.get('/me', { token: member.accessToken });
    expect(me.body.role).toBe('member');
  });

  it('a role change applies to tokens issued after it', async () => {
    const member = await registerUser(t);
    const res = await t.patch(
      `/admin/users/${member.id}`,
      { role: 'researcher' },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: member.id,
      handle: member.handle,
      role: 'researcher',
      suspendedUntil: null,
      createdAt: expect.any(String),
    });
    // The old token still says member; the refreshed one says researcher.
    const refreshed = await t.post('/auth/refresh', { refreshToken: member.refreshToken });
    expect(refreshed.body.user.role).toBe('researcher');
    const moderator = await userWithRole(t, admin.accessToken, 'moderator');
    const denied = await t.patch(
      `/admin/users/${member.id}`,
      { role: 'member' },
      { token: moderator.accessToken },
    );
    expect(denied.status).toBe(403);
  });

  it('suspension applies at once to live tokens, login and refresh; lifting it restores access', async () => {
    const member = await registerUser(t);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t.patch(
      `/admin/users/${member.id}`,
      { suspendedUntil: until },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(200);
    expect(res.body.suspendedUntil).toBe(until);

    const me = await t.get('/me', { token: member.accessToken });
    expect(me.status).toBe(403);
    expect(me.body.type).toBe('/problems/account-suspended');
    expect(
      (await t.post('/auth/login', { email: member.email, password: member.password })).status,
    ).toBe(403);
    expect((await t.post('/auth/refresh', { refreshToken: member.refreshToken })).status).toBe(403);

    const lifted = await t.patch(
      `/admin/users/${member.id}`,
      { suspendedUntil: null },
      { token: admin.accessToken },
    );
    expect(lifted.status).toBe(200);
    expect((await t.get('/me', { token: member.accessToken })).status).toBe(200);
  });

  it('a suspension in the past changes nothing', async () => {
    const member = await registerUser(t);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(
      (
        await t.patch(
          `/admin/users/${member.id}`,
          { suspendedUntil: past },
          { token: admin.accessToken },
        )
      ).status,
    ).toBe(200);
    expect((await t.get('/me', { token: member.accessToken })).status).toBe(200);
  });

  it('bad input: 400 with the field, 404 for an unknown user, 400 for a malformed id', async () => {
    const member = await registerUser(t);
    const cases: [unknown, string][] = [
      [{ role: 'superuser' }, 'role'],
      [{ suspendedUntil: 'tomorrow' }, 'suspendedUntil'],
      [{ suspendedUntil: 12 }, 'suspendedUntil'],
      [{}, 'role'],
      [{ role: 'moderator', email: 'x@y.org' }, 'email'],
      [{ role: 'moderator', handle: 'renamed' }, 'handle'],
    ];
    for (const [body, field] of cases) {
      const res = await t.patch(`/admin/users/${member.id}`, body, { token: admin.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const unknown = await t.patch(
      '/admin/users/6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f',
      { role: 'moderator' },
      { token: admin.accessToken },
    );
    expect(unknown.status).toBe(404);
    const malformed = await t.patch(
      '/admin/users/not-a-uuid',
      { role: 'moderator' },
      { token: admin.accessToken },
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'userId', message: 'must be a UUID' }]);
    const me = await t.get('/me', { token: member.accessToken });
    expect(me.body.role).toBe('member');
  });

  // On the shared PostgreSQL other suites' admins exist, so only the embedded database (one admin) can
  // show the rule.
  (onPostgres() ? it.skip : it)('never demotes or suspends the last admin', async () => {
    const demote = await t.patch(
      `/admin/users/${admin.id}`,
      { role: 'member' },
      { token: admin.accessToken },
    );
    expect(demote.status).toBe(409);
    expect(demote.body.type).toBe('/problems/last-admin');
    const second = await userWithRole(t, admin.accessToken, 'admin');
    const suspend = await t.patch(
      `/admin/users/${admin.id}`,
      { suspendedUntil: new Date(Date.now() + 60_000).toISOString() },
      { token: admin.accessToken },
    );
    expect(suspend.status).toBe(403); // admins cannot suspend themselves
    const demoteNow = await t.patch(
      `/admin/users/${second.id}`,
      { role: 'member' },
      { token: admin.accessToken },
    );
    expect(demoteNow.status).toBe(200);
    expect((await t.get('/me', { token: admin.accessToken })).body.role).toBe('admin');
  });

  it('no answer about another user carries an email', async () => {
    const member = await registerUser(t);
    const res = await t.patch(
      `/admin/users/${member.id}`,
      { role: 'moderator' },
      { token: admin.accessToken },
    );
    expect(res.text).not.toContain(member.email);
    expect(res.text).not.toContain('@');
  });
});
