import { newUserInput, registerUser, TestApp } from '@kinship/testing';

describe('identity: throttling', () => {
  describe('per IP', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(() => t?.close());

    it('answers 429 with Retry-After once an address has tried too often', async () => {
      const statuses: number[] = [];
      let limited;
      for (let i = 0; i < 5; i++) {
        const res = await t.post('/auth/login', {
          email: `nobody-${i}@example.org`,
          password: 'some-password-1',
        });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(limited!.body.type).toBe('/problems/rate-limited');
      const retryAfter = Number(limited!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('limits registration on its own budget', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await t.post('/auth/register', newUserInput())).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
    });
  });

  describe('per account', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ ACCOUNT_LOCK_THRESHOLD: '3', ACCOUNT_LOCK_MINUTES: '5' });
    });
    afterAll(() => t?.close());

    it('locks an account after repeated failures, even for the right password', async () => {
      const user = await registerUser(t);
      for (let i = 0; i < 3; i++) {
        expect(
          (await t.post('/auth/login', { email: user.email, password: 'wrong-password-x' })).status,
        ).toBe(401);
      }
      const locked = await t.post('/auth/login', { email: user.email, password: user.password });
      expect(locked.status).toBe(429);
      expect(locked.body.type).toBe('/problems/account-locked');
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(200);
      expect(retryAfter).toBeLessThanOrEqual(300);
      // Existing sessions are untouched: the lock is against guessing, not against the member.
      expect((await t.get('/me', { token: user.accessToken })).status).toBe(200);
    });

    it('a success resets the count of failures', async () => {
      const user = await registerUser(t);
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) {
          expect(
            (await t.post('/auth/login', { email: user.email, password: 'wrong-password-x' }))
              .status,
          ).toBe(401);
        }
        expect(
          (await t.post('/auth/login', { email: user.email, password: user.password })).status,
        ).toBe(200);
      }
    });

    it('failures against an unknown email lock nothing and answer like any failure', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await t.post('/auth/login', {
          email: 'ghost@example.org',
          password: 'wrong-password-x',
        });
        expect(res.status).toBe(401);
      }
    });
  });
});
