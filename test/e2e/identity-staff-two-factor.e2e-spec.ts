import {
  createGroup,
  decodeJwt,
  enableTwoFactor,
  login,
  registerUser,
  runCli,
  TestApp,
  type TestUser,
} from '@kinship/testing';

describe('identity: staff and two-factor sign-in', () => {
  let t: TestApp;
  let admin: TestUser;
  let credentials: { email: string; password: string };
  beforeAll(async () => {
    ({ t, admin, credentials } = await TestApp.startWithAdmin());
  });
  afterAll(() => t?.close());

  const passwordStep = async (user: TestUser) => {
    const res = await t.post('/auth/login', { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    return res;
  };

  describe('staff', () => {
    /** A user given `role`, signed in with the password only (no second factor yet). */
    async function staffWithoutSecondFactor(role: string): Promise<TestUser> {
      const user = await registerUser(t);
      const res = await t.patch(`/admin/users/${user.id}`, { role }, { token: admin.accessToken });
      expect(res.status).toBe(200);
      const signedIn = await passwordStep(user);
      expect(signedIn.body.user.role).toBe(role);
      return { ...user, role, accessToken: signedIn.body.accessToken };
    }

    it('the helpers sign staff in with a second factor', () => {
      expect(decodeJwt(admin.accessToken)).toMatchObject({
        role: 'admin',
        amr: ['pwd', 'otp', 'mfa'],
      });
    });

    it('staff without two-factor get 403 two-factor-required on staff routes', async () => {
      const moderator = await staffWithoutSecondFactor('moderator');
      const create = await t.post(
        '/groups',
        {
          name: 'x',
          slug: `x-${Date.now()}`,
          condition: 'x',
          visibility: 'public',
          joinPolicy: 'open',
        },
        { token: moderator.accessToken },
      );
      expect(create.status).toBe(403);
      expect(create.body.type).toBe('/problems/two-factor-required');
      const status = await t.get('/auth/2fa', { token: moderator.accessToken });
      expect(status.body).toMatchObject({ enabled: false, required: true });

      const otherAdmin = await staffWithoutSecondFactor('admin');
      const member = await registerUser(t);
      const promote = await t.patch(
        `/admin/users/${member.id}`,
        { role: 'moderator' },
        { token: otherAdmin.accessToken },
      );
      expect(promote.status).toBe(403);
      expect(promote.body.type).toBe('/problems/two-factor-required');
      expect((await t.get('/me', { token: member.accessToken })).body.role).toBe('member');

      // A member on a staff route still gets role-required.
      const asMember = await t.patch(
        `/admin/users/${member.id}`,
        { role: 'moderator' },
        { token: member.accessToken },
      );
      expect(asMember.body.type).toBe('/problems/role-required');
    });

    it('a platform moderator without two-factor has only a member’s powers in groups', async () => {
      const hidden = await createGroup(t, admin.accessToken, {
        visibility: 'private',
        joinPolicy: 'approval',
      });
      const moderator = await staffWithoutSecondFactor('moderator');
      expect((await t.get(`/groups/${hidden.id}`, { token: moderator.accessToken })).status).toBe(
        404,
      );
      const listed = await t.get(`/groups?q=${encodeURIComponent(hidden.name)}`, {
        token: moderator.accessToken,
      });
      expect(listed.body.items.map((g: { id: string }) => g.id)).not.toContain(hidden.id);
      const queue = await t.get(`/moderation/queue?groupId=${hidden.id}`, {
        token: moderator.accessToken,
      });
      expect(queue.status).toBe(404);

      // With two-factor on and a sign-in with a code, the role acts.
      await enableTwoFactor(t, moderator);
      const staff = await login(t, moderator.email, moderator.password);
      expect((await t.get(`/groups/${hidden.id}`, { token: staff.accessToken })).status).toBe(200);
      const created = await createGroup(t, staff.accessToken);
      expect(created.id).toEqual(expect.any(String));
    });

    it('group moderators who are platform members need no second factor', async () => {
      const owner = await login(t, credentials.email, credentials.password);
      const group = await createGroup(t, owner.accessToken, { joinPolicy: 'approval' });
      const gm = await registerUser(t);
      await t.post(`/groups/${group.id}/members`, undefined, { token: gm.accessToken });
      await t.patch(
        `/groups/${group.id}/members/${gm.id}`,
        { status: 'active' },
        { token: owner.accessToken },
      );
      const promoted = await t.patch(
        `/groups/${group.id}/members/${gm.id}`,
        { role: 'moderator' },
        { token: owner.accessToken },
      );
      expect(promoted.status).toBe(200);
      const applicant = await registerUser(t);
      await t.post(`/groups/${group.id}/members`, undefined, { token: applicant.accessToken });
      const approved = await t.patch(
        `/groups/${group.id}/members/${applicant.id}`,
        { status: 'active' },
        { token: gm.accessToken },
      );
      expect(approved.status).toBe(200);
    });
  });

  it('an operator resets two-factor sign-in for a member who lost everything (cli)', async () => {
    const member = await registerUser(t);
    await enableTwoFactor(t, member);
    const session = await login(t, member.email, member.password);
    // The embedded database serves one process at a time: the api makes way for the cli.
    await t.stop();
    const env: Record<string, string> = t.dataDir ? { DATA_DIR: t.dataDir } : {};
    const unknown = await runCli(['reset-two-factor', '--email', 'nobody@example.org'], env);
    expect(unknown.code).toBe(1);
    const reset = await runCli(['reset-two-factor', '--email', member.email.toUpperCase()], env);
    expect(reset.code).toBe(0);
    await t.restart();
    expect((await t.get('/me', { token: session.accessToken })).status).toBe(401);
    const plain = await passwordStep(member);
    expect(plain.body.accessToken).toEqual(expect.any(String));
  });
});
