import {
  completeTwoFactor,
  decodeJwt,
  enableTwoFactor,
  login,
  registerUser,
  TestApp,
  type TestUser,
  totpCode,
  totpStep,
} from '@kinship/testing';

/** A 6-digit code that is none of the codes of the server's window (so surely wrong). */
function wrongCode(secret: string): string {
  const window = [-1, 0, 1, 2].map((d) => totpCode(secret, totpStep() + d));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!window.includes(code)) return code;
  }
}

describe('identity: two-factor sign-in (TOTP, recovery codes)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ ACCOUNT_LOCK_THRESHOLD: '3' });
  });
  afterAll(() => t?.close());

  /** A member with two-factor sign-in on, enrolled by hand (the helpers know the secret). */
  async function enrolledMember(): Promise<TestUser & { secret: string; recoveryCodes: string[] }> {
    const user = await registerUser(t);
    const { secret, recoveryCodes } = await enableTwoFactor(t, user);
    return { ...user, secret, recoveryCodes };
  }

  const passwordStep = async (user: TestUser) => {
    const res = await t.post('/auth/login', { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    return res;
  };

  it('is optional for members: sign-in answers the usual tokens, status says off', async () => {
    const member = await registerUser(t);
    const res = await passwordStep(member);
    expect(Object.keys(res.body).sort()).toEqual(
      ['accessToken', 'expiresIn', 'refreshToken', 'user'].sort(),
    );
    expect(decodeJwt(res.body.accessToken).amr).toEqual(['pwd']);
    const status = await t.get('/auth/2fa', { token: member.accessToken });
    expect(status.body).toEqual({
      enabled: false,
      enabledAt: null,
      recoveryCodesLeft: 0,
      required: false,
    });
  });

  it('setup answers a secret and an otpauth URI labelled with the handle; enable needs a right code', async () => {
    const member = await registerUser(t);
    const setup = await t.post('/auth/2fa/setup', undefined, { token: member.accessToken });
    expect(setup.status).toBe(200);
    expect(setup.body).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setup.body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(setup.body.secret);
    expect(decodeURIComponent(uri.pathname)).toContain(member.handle);
    expect(setup.text).not.toContain(member.email);

    const wrong = await t.post(
      '/auth/2fa/enable',
      { code: wrongCode(setup.body.secret) },
      { token: member.accessToken },
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.type).toBe('/problems/confirmation-failed');
    expect((await t.get('/auth/2fa', { token: member.accessToken })).body.enabled).toBe(false);
    expect((await passwordStep(member)).body.accessToken).toEqual(expect.any(String));

    const malformed = await t.post(
      '/auth/2fa/enable',
      { code: '12ab56' },
      { token: member.accessToken },
    );
    expect(malformed.status).toBe(400);

    const ok = await t.post(
      '/auth/2fa/enable',
      { code: totpCode(setup.body.secret) },
      { token: member.accessToken },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    ok.body.recoveryCodes.forEach((c: string) =>
      expect(c).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/),
    );
    const status = await t.get('/auth/2fa', { token: member.accessToken });
    expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
    const again = await t.post('/auth/2fa/setup', undefined, { token: member.accessToken });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/two-factor-already-enabled');
  });

  it('enable without a setup is a 409', async () => {
    const member = await registerUser(t);
    const res = await t.post('/auth/2fa/enable', { code: '123456' }, { token: member.accessToken });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/two-factor-setup-missing');
  });

  it('sign-in with two-factor on: a challenge, then tokens for a right code; the challenge serves once', async () => {
    const member = await enrolledMember();
    const first = await passwordStep(member);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), expiresIn: 300 });
    // The challenge is not an access token.
    expect((await t.get('/me', { token: first.body.mfaToken })).status).toBe(401);

    const wrong = await t.post('/auth/2fa/verify', {
      mfaToken: first.body.mfaToken,
      code: wrongCode(member.secret),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toBe('/problems/invalid-two-factor-code');

    const ok = await completeTwoFactor(t, member.email, first.body.mfaToken);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ id: member.id, handle: member.handle, role: 'member' });
    expect(decodeJwt(ok.body.accessToken).amr).toEqual(['pwd', 'otp', 'mfa']);
    expect((await t.get('/me', { token: ok.body.accessToken })).status).toBe(200);

    const reused = await completeTwoFactor(t, member.email, first.body.mfaToken);
    expect(reused.status).toBe(401);
    expect(reused.body.type).toBe('/problems/invalid-mfa-token');
    const unknown = await t.post('/auth/2fa/verify', {
      mfaToken: 'x'.repeat(43),
      code: totpCode(member.secret),
    });
    expect(unknown.status).toBe(401);

    // A refreshed token keeps the second factor of its sign-in.
    const refreshed = await t.post('/auth/refresh', { refreshToken: ok.body.refreshToken });
    expect(decodeJwt(refreshed.body.accessToken).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('a code works once: the code that enabled it, or one that signed in, is refused again', async () => {
    const user = await registerUser(t);
    const setup = await t.post('/auth/2fa/setup', undefined, { token: user.accessToken });
    const step = totpStep();
    const code = totpCode(setup.body.secret, step);
    const enabled = await t.post('/auth/2fa/enable', { code }, { token: user.accessToken });
    expect(enabled.status).toBe(200);
    const replay = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(user)).body.mfaToken,
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe('/problems/invalid-two-factor-code');

    const next = totpCode(setup.body.secret, step + 1);
    const signedIn = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(user)).body.mfaToken,
      code: next,
    });
    expect(signedIn.status).toBe(200);
    const again = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(user)).body.mfaToken,
      code: next,
    });
    expect(again.status).toBe(401);
  });

  it('a recovery code signs in once, in any case and spacing', async () => {
    const member = await enrolledMember();
    const [code] = member.recoveryCodes;
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ')} `;
    const ok = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(member)).body.mfaToken,
      recoveryCode: typed,
    });
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.accessToken).amr).toContain('mfa');
    const again = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(member)).body.mfaToken,
      recoveryCode: code,
    });
    expect(again.status).toBe(401);
    const status = await t.get('/auth/2fa', { token: ok.body.accessToken });
    expect(status.body.recoveryCodesLeft).toBe(9);
  });

  it('new recovery codes replace the old ones (password and code needed)', async () => {
    const member = await enrolledMember();
    const session = await login(t, member.email, member.password);
    const denied = await t.post(
      '/auth/2fa/recovery-codes',
      { password: 'not-the-password', recoveryCode: member.recoveryCodes[1] },
      { token: session.accessToken },
    );
    expect(denied.status).toBe(403);
    const fresh = await t.post(
      '/auth/2fa/recovery-codes',
      { password: member.password, recoveryCode: member.recoveryCodes[1] },
      { token: session.accessToken },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    const old = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(member)).body.mfaToken,
      recoveryCode: member.recoveryCodes[2],
    });
    expect(old.status).toBe(401);
    const renewed = await t.post('/auth/2fa/verify', {
      mfaToken: (await passwordStep(member)).body.mfaToken,
      recoveryCode: fresh.body.recoveryCodes[0],
    });
    expect(renewed.status).toBe(200);
  });

  it('bad verify input is a 400 that changes nothing', async () => {
    const member = await enrolledMember();
    const { mfaToken } = (await passwordStep(member)).body;
    const cases = [
      { mfaToken },
      { mfaToken, code: totpCode(member.secret), recoveryCode: member.recoveryCodes[0] },
      { mfaToken, code: '12345' },
      { code: totpCode(member.secret) },
      { mfaToken, code: '123456', extra: true },
    ];
    for (const body of cases) expect((await t.post('/auth/2fa/verify', body)).status).toBe(400);
    expect((await completeTwoFactor(t, member.email, mfaToken)).status).toBe(200);
  });

  it('guessing codes locks the account: the right code and the password then wait too', async () => {
    const member = await enrolledMember();
    for (let i = 0; i < 3; i++) {
      // A right password in between does not reset the count of wrong codes.
      const { mfaToken } = (await passwordStep(member)).body;
      const res = await t.post('/auth/2fa/verify', { mfaToken, code: wrongCode(member.secret) });
      expect(res.status).toBe(401);
    }
    const locked = await t.post('/auth/login', { email: member.email, password: member.password });
    expect(locked.status).toBe(429);
    expect(locked.body.type).toBe('/problems/account-locked');
    expect(locked.headers.get('retry-after')).toEqual(expect.any(String));
  });

  it('turning it off needs the password and a code; then sign-in is one step again', async () => {
    const member = await enrolledMember();
    const session = await login(t, member.email, member.password);
    const noCode = await t.post(
      '/auth/2fa/disable',
      { password: member.password },
      { token: session.accessToken },
    );
    expect(noCode.status).toBe(400);
    const wrongPassword = await t.post(
      '/auth/2fa/disable',
      { password: 'not-the-password', code: totpCode(member.secret, totpStep() + 1) },
      { token: session.accessToken },
    );
    expect(wrongPassword.status).toBe(403);
    expect((await t.get('/auth/2fa', { token: session.accessToken })).body.enabled).toBe(true);
    const off = await t.post(
      '/auth/2fa/disable',
      { password: member.password, recoveryCode: member.recoveryCodes[0] },
      { token: session.accessToken },
    );
    expect(off.status).toBe(204);
    const plain = await passwordStep(member);
    expect(plain.body.accessToken).toEqual(expect.any(String));
    const twice = await t.post(
      '/auth/2fa/disable',
      { password: member.password, code: '123456' },
      { token: session.accessToken },
    );
    expect(twice.status).toBe(409);
  });
});
