import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type HttpAnswer, newUserInput, TestApp } from '@kinship/testing';

/** What must never reach a client: stack frames, source paths, SQL, driver error names. */
const LEAKS = [
  /\bat \S+ \(/,
  /node_modules|\/dist\/|\.[jt]s:\d+/,
  /QueryFailedError|TypeORMError|DatabaseError/,
  /\b(SELECT|INSERT|UPDATE)\b[\s\S]*\b(FROM|INTO|SET|WHERE)\b/,
  /\bstack\b|relation "|violates [a-z -]*constraint|syntax error at/i,
];

function expectNoLeak(res: HttpAnswer): void {
  for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
}

/** An RFC 9457 answer of the given status, uncached, leaking nothing. */
function expectProblem(res: HttpAnswer, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^\/problems\/[a-z-]+$/),
      title: expect.any(String),
      detail: expect.any(String),
      errors: expect.any(Array),
    }),
  );
  expectNoLeak(res);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const json = { 'content-type': 'application/json' };

describe('platform: health, docs, errors, headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t?.close());

  describe('health', () => {
    it('readiness answers 200 while the database is up', async () => {
      const res = await t.get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
    });

    it('liveness answers 200', async () => {
      const res = await t.get('/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('OpenAPI', () => {
    it('serves the UI, with every script it loads', async () => {
      const res = await t.get('/api/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const scripts = [...res.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) {
        const asset = await fetch(new URL(src, `${t.baseUrl}/api/docs`));
        expect({ src, status: asset.status }).toEqual({ src, status: 200 });
      }
    });

    it('serves the same document as the committed openapi.json', async () => {
      const res = await t.get('/api/docs-json');
      expect(res.status).toBe(200);
      const committed: unknown = JSON.parse(
        readFileSync(join(process.cwd(), 'openapi.json'), 'utf8'),
      );
      if (!isDeepStrictEqual(res.body, committed)) {
        const paths = (doc: any) =>
          Object.keys(doc?.paths ?? {})
            .sort()
            .join('\n  ');
        throw new Error(
          'openapi.json is out of date with the code: run `npm run openapi` and commit the result.\n' +
            `Served paths:\n  ${paths(res.body)}\nCommitted paths:\n  ${paths(committed)}`,
        );
      }
    });
  });

  describe('errors are problem documents', () => {
    it.each(['/api/v1/no-such-thing', '/no-such-thing', '/api/v2/auth/login'])(
      'unknown route %s → 404',
      async (path) => {
        const res = await t.get(path);
        expectProblem(res, 404);
        expect(res.body.type).toBe('/problems/not-found');
      },
    );

    it('invalid JSON → 400 in our words, not the parser’s', async () => {
      const res = await t.request('POST', '/auth/login', { raw: '{"email": ', headers: json });
      expectProblem(res, 400);
      expect(res.body.detail).toBe('The request body is not valid JSON.');
    });

    it('an empty JSON body → 400', async () => {
      const res = await t.request('POST', '/auth/login', { raw: '', headers: json });
      expectProblem(res, 400);
    });

    it.each([
      ['text/plain', 'email=a@b.org'],
      ['application/x-www-form-urlencoded', 'email=a%40b.org&password=x'],
      ['application/xml', '<login/>'],
    ])('%s on a JSON route → 415', async (contentType, raw) => {
      const res = await t.request('POST', '/auth/login', {
        raw,
        headers: { 'content-type': contentType },
      });
      expectProblem(res, 415);
      expect(res.body.type).toBe('/problems/unsupported-media-type');
    });

    it.each(['[]', '[{"email":"a@b.org"}]', '"text"', '42', 'true', 'null'])(
      'the JSON body %s is a 400 naming the body, never a 500',
      async (raw) => {
        const res = await t.request('POST', '/auth/register', { raw, headers: json });
        expectProblem(res, 400);
        expect(res.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
      },
    );

    it('a NUL character, which PostgreSQL cannot store, is a 400 (it was a 500)', async () => {
      const res = await t.post('/auth/login', { email: 'a\u0000b@example.org', password: 'x' });
      expectProblem(res, 400);
      expect(res.body.errors[0].field).toBe('email');
    });

    it('very deep nesting is a 400 (it overflowed the stack: a 500)', async () => {
      const raw = `{"email":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
      const res = await t.request('POST', '/auth/login', { raw, headers: json });
      expectProblem(res, 400);
    });

    it('hostile input never answers a 5xx, a stack trace or SQL', async () => {
      const answers = await Promise.all([
        t.post('/auth/login', { email: "' OR 1=1 --@example.org", password: "' OR '1'='1" }),
        t.post('/auth/register', { ...newUserInput(), handle: "x'); DROP TABLE users;--" }),
        t.request('POST', '/auth/login', { raw: '{"__proto__":{"admin":true}}', headers: json }),
        t.post('/auth/login', { email: { $gt: '' }, password: ['a'] }),
        t.post('/auth/refresh', { refreshToken: 'x'.repeat(10_000) }),
        t.get('/me', { token: 'not.a.jwt' }),
        t.get('/me', { headers: { authorization: 'Basic YTpi' } }),
        t.patch('/admin/users/not-a-uuid', { role: 'admin' }),
        t.get(`/${'a'.repeat(5_000)}`),
      ]);
      for (const res of answers) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectProblem(res, res.status);
      }
    });

    it('what the HTTP parser refuses is a problem too: oversized URL or headers → 431', async () => {
      const longUrl = await t.get(`/api/v1/groups?q=${'x'.repeat(70_000)}`);
      expectProblem(longUrl, 431);
      const bigHeader = await t.get('/health', { headers: { 'x-padding': 'y'.repeat(70_000) } });
      expectProblem(bigHeader, 431);
      expect((await t.get('/health')).status).toBe(200);
    });

    it('what the router refuses is a problem too: a too long or badly encoded path id', async () => {
      expectProblem(await t.get(`/groups/${'x'.repeat(500)}`), 414);
      expectProblem(await t.get('/groups/%E0%A4%A'), 400);
    });

    it('Fastify’s errors reach the problem filter without a handler of ours (no FSTWRN004)', () => {
      expect(t.output).not.toMatch(/FSTWRN|FastifyWarning/);
    });
  });

  describe('headers', () => {
    it.each(['/health', '/api/v1/no-such-thing', '/api/docs'])(
      '%s has security headers',
      async (path) => {
        const res = await t.get(path);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        const frameable =
          res.headers.get('x-frame-options') ?? csp.match(/frame-ancestors[^;]*/)?.[0];
        expect(frameable).toBeTruthy();
      },
    );

    it('API answers and problems are never cached', async () => {
      const registered = await t.post('/auth/register', newUserInput());
      expect(registered.status).toBe(201);
      const me = await t.get('/me', { token: registered.body.accessToken });
      const unauthenticated = await t.get('/me');
      expect(unauthenticated.status).toBe(401);
      for (const res of [registered, me, unauthenticated]) {
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('echoes a well-formed X-Request-Id', async () => {
      const id = 'client-req_42.abc';
      for (const res of [
        await t.get('/health', { headers: { 'x-request-id': id } }),
        await t.get('/me', { headers: { 'x-request-id': id } }),
      ]) {
        expect(res.headers.get('x-request-id')).toBe(id);
      }
    });

    it.each([
      ['absent', undefined],
      ['200 characters', 'a'.repeat(200)],
      ['with spaces', 'two words'],
      ['with a newline-like escape', 'a%0d%0aSet-Cookie:x'],
      ['with quotes', '"><script>'],
    ])('replaces an X-Request-Id that is %s with a UUID', async (_label, id) => {
      const res = await t.get('/health', {
        headers: id === undefined ? {} : { 'x-request-id': id },
      });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    });
  });
});

describe('platform: body size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => t?.close());

  it('a body over BODY_LIMIT_BYTES → 413', async () => {
    const res = await t.post('/auth/login', {
      email: 'a@example.org',
      password: 'p'.repeat(10_240),
    });
    expectProblem(res, 413);
    expect(res.body.type).toBe('/problems/payload-too-large');
  });

  it('a body under the limit is read as usual', async () => {
    const res = await t.post('/auth/login', {
      email: 'nobody@example.org',
      password: 'p'.repeat(100),
    });
    expectProblem(res, 401);
  });
});
