import { login, newUserInput, registerUser, TestApp } from '@kinship/testing';

describe('identity: register, login, profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t?.close());

  it('registers a member and answers the own profile with tokens', async () => {
    const input = newUserInput({ handle: `Rosa_${Date.now() % 100000}` });
    const res = await t.post('/auth/register', input);
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: input.email,
      handle: input.handle,
      role: 'member',
      suspendedUntil: null,
      createdAt: expect.any(String),
    });
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(res.body.refreshToken.length).toBeGreaterThan(30);
    expect(res.text).not.toMatch(/argon2|password/i);
    const me = await t.get('/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('normalises the email: case and spaces do not make a second account', async () => {
    const user = await registerUser(t);
    const again = await t.post(
      '/auth/register',
      newUserInput({ email: `  ${user.email.toUpperCase()} ` }),
    );
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/email-taken');
    expect(again.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    const logged = await t.post('/auth/login', {
      email: user.email.toUpperCase(),
      password: user.password,
    });
    expect(logged.status).toBe(200);
  });

  it('refuses a handle that differs only by case (409)', async () => {
    const user = await registerUser(t);
    const res = await t.post('/auth/register', newUserInput({ handle: user.handle.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/handle-taken',
      status: 409,
      errors: [{ field: 'handle' }],
    });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['missing email', { email: undefined }, 'email'],
    ['malformed email', { email: 'not-an-email' }, 'email'],
    ['email not a string', { email: 42 }, 'email'],
    ['email with a lone surrogate', { email: '\ud800' }, 'email'],
    ['password with a lone surrogate', { password: 'long enough \udc00' }, 'password'],
    ['password too short', { password: 'short1' }, 'password'],
    ['password too long', { password: 'x'.repeat(129) }, 'password'],
    ['common password', { password: 'password123' }, 'password'],
    ['common password in other case', { password: 'Iloveyou1' }, 'password'],
    ['handle too short', { handle: 'ab' }, 'handle'],
    ['handle too long', { handle: 'a'.repeat(31) }, 'handle'],
    ['handle with spaces', { handle: 'rosa t' }, 'handle'],
    ['handle with an email', { handle: 'rosa@example.org' }, 'handle'],
    ['reserved handle', { handle: 'Moderator' }, 'handle'],
    ['unknown field (mass assignment)', { role: 'admin' }, 'role'],
  ];
  it.each(invalid)(
    'refuses %s with a 400 naming the field, and stores nothing',
    async (_name, patch, field) => {
      const input = { ...newUserInput(), ...patch };
      const res = await t.post('/auth/register', input);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: '/problems/validation-failed',
        status: 400,
        title: expect.any(String),
      });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      // Nothing was stored: the same email and handle can still register with valid input.
      if (typeof input.email === 'string' && input.email.includes('@') && field !== 'handle') {
        const valid = newUserInput({ email: input.email });
        expect((await t.post('/auth/register', valid)).status).toBe(201);
      }
    },
  );

  it('refuses the email or handle as the password', async () => {
    const input = newUserInput();
    const res = await t.post('/auth/register', { ...input, password: input.email });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('password');
  });

  it('answers 400, not 500, to bodies of the wrong shape', async () => {
    for (const raw of ['[]', '"text"', '42', 'null', '{"email": {"$gt": ""}, "password": []}']) {
      const res = await t.request('POST', '/auth/register', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect([400]).toContain(res.status);
      expect(res.body.type).toBeDefined();
    }
  });

  it('logs in with the right password, 401 with a wrong one or an unknown email', async () => {
    const user = await registerUser(t);
    const ok = await login(t, user.email, user.password);
    expect(ok.id).toBe(user.id);
    const wrong = await t.post('/auth/login', { email: user.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ type: '/problems/invalid-credentials', status: 401 });
    const unknown = await t.post('/auth/login', {
      email: 'nobody-here@example.org',
      password: 'whatever-it-is',
    });
    expect(unknown.status).toBe(401);
    // Same answer either way: no way to learn which emails are registered by signing in.
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('refuses a login body with missing or extra fields (400)', async () => {
    expect((await t.post('/auth/login', { email: 'a@b.org' })).status).toBe(400);
    expect(
      (await t.post('/auth/login', { email: 'a@b.org', password: 'x', remember: true })).status,
    ).toBe(400);
  });

  it('GET /me needs a token', async () => {
    const res = await t.get('/me');
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('/problems/invalid-access-token');
  });
});
