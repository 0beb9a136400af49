import { appJwtSecret, decodeJwt, registerUser, signJwt, TestApp } from '@kinship/testing';

describe('identity: access and refresh tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t?.close());

  it('issues HS256 access tokens with issuer, audience, expiry, user and session', async () => {
    const user = await registerUser(t);
    const claims = decodeJwt(user.accessToken);
    const header = JSON.parse(Buffer.from(user.accessToken.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({
      sub: user.id,
      role: 'member',
      iss: 'kinship',
      aud: 'kinship-api',
    });
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(claims)).not.toContain(user.email);
  });

  it('rotates the refresh token on every use', async () => {
    const user = await registerUser(t);
    const first = await t.post('/auth/refresh', { refreshToken: user.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await t.get('/me', { token: first.body.accessToken })).status).toBe(200);
    const second = await t.post('/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect(decodeJwt(second.body.accessToken).sid).toBe(decodeJwt(user.accessToken).sid);
  });

  it('revokes the whole family when a rotated token is used again', async () => {
    const user = await registerUser(t);
    const rotated = await t.post('/auth/refresh', { refreshToken: user.refreshToken });
    expect(rotated.status).toBe(200);

    const reuse = await t.post('/auth/refresh', { refreshToken: user.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.type).toBe('/problems/refresh-token-reused');

    // The thief's or the owner's newer token is dead too, and so are the session's access tokens.
    const newer = await t.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(newer.status).toBe(401);
    expect((await t.get('/me', { token: rotated.body.accessToken })).status).toBe(401);
    expect((await t.get('/me', { token: user.accessToken })).status).toBe(401);

    // Other sessions of the same member are not affected.
    const other = await t.post('/auth/login', { email: user.email, password: user.password });
    expect(other.status).toBe(200);
    expect((await t.get('/me', { token: other.body.accessToken })).status).toBe(200);
  });

  it('two concurrent uses of one refresh token: at most one succeeds', async () => {
    const user = await registerUser(t);
    const answers = await Promise.all([
      t.post('/auth/refresh', { refreshToken: user.refreshToken }),
      t.post('/auth/refresh', { refreshToken: user.refreshToken }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 401]);
  });

  it('refuses unknown and malformed refresh tokens', async () => {
    const unknown = await t.post('/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.type).toBe('/problems/invalid-refresh-token');
    expect((await t.post('/auth/refresh', { refreshToken: 'short' })).status).toBe(400);
    expect((await t.post('/auth/refresh', {})).status).toBe(400);
    expect((await t.post('/auth/refresh', { refreshToken: 1234567890123 })).status).toBe(400);
  });

  it('logout revokes the session: its refresh and access tokens stop working', async () => {
    const user = await registerUser(t);
    const out = await t.post('/auth/logout', undefined, { token: user.accessToken });
    expect(out.status).toBe(204);
    expect((await t.get('/me', { token: user.accessToken })).status).toBe(401);
    expect((await t.post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await t.post('/auth/logout', undefined, { token: user.accessToken })).status).toBe(401);
  });

  describe('refuses tokens that are not ours', () => {
    let user: Awaited<ReturnType<typeof registerUser>>;
    let good: Record<string, any>;
    beforeAll(async () => {
      user = await registerUser(t);
      good = decodeJwt(user.accessToken);
    });
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts the genuine token (control)', async () => {
      expect((await t.get('/me', { token: user.accessToken })).status).toBe(200);
      expect((await t.get('/me', { token: signJwt(good, appJwtSecret(t)) })).status).toBe(200);
    });

    it.each([
      [
        'signed with another secret',
        () => signJwt(good, 'another-secret-of-at-least-32-characters!!'),
      ],
      ['alg none', () => signJwt(good, '', { alg: 'none', typ: 'JWT' })],
      [
        'HS512 with the right secret (algorithm not allowed)',
        () => signJwt(good, appJwtSecret(t), { alg: 'HS512', typ: 'JWT' }),
      ],
      ['expired', () => signJwt({ ...good, iat: now() - 3600, exp: now() - 60 }, appJwtSecret(t))],
      ['wrong audience', () => signJwt({ ...good, aud: 'another-api' }, appJwtSecret(t))],
      ['wrong issuer', () => signJwt({ ...good, iss: 'someone-else' }, appJwtSecret(t))],
      [
        'no expiry',
        () =>
          signJwt(
            {
              sub: good.sub,
              sid: good.sid,
              role: 'admin',
              handle: 'x',
              iss: good.iss,
              aud: good.aud,
            },
            'wrong-secret-wrong-secret-wrong-secret',
          ),
      ],
      [
        'an unknown session',
        () => signJwt({ ...good, sid: '00000000-0000-4000-8000-000000000000' }, appJwtSecret(t)),
      ],
      ['a malformed subject', () => signJwt({ ...good, sub: "1' OR '1'='1" }, appJwtSecret(t))],
      [
        'tampered payload (role raised)',
        () => {
          const [h, , s] = user.accessToken.split('.');
          const p = Buffer.from(JSON.stringify({ ...good, role: 'admin' })).toString('base64url');
          return `${h}.${p}.${s}`;
        },
      ],
      ['garbage', () => 'not.a.jwt'],
      ['empty', () => ''],
    ])('%s → 401 problem', async (_name, make) => {
      const res = await t.get('/me', { token: make() });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('a malformed Authorization header is a 401', async () => {
      for (const header of [
        'Basic abc',
        'Bearer',
        `Token ${user.accessToken}`,
        `Bearer ${user.accessToken} extra`,
      ]) {
        const res = await t.get('/me', { headers: { authorization: header } });
        expect(res.status).toBe(401);
      }
    });
  });
});
