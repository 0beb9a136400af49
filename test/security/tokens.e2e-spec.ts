import { appJwtSecret, connectSocket, decodeJwt, signJwt } from '@kinship/testing';
import {
  call,
  isProblem,
  loadOperations,
  loadSchemas,
  type Operation,
  sampleBody,
  type Schema,
} from './support/api-surface';
import { buildWorld, type World } from './support/world';

/**
 * Tokens that are not ours, on every route that takes a bearer token and on the socket handshake:
 * each is a 401 problem (a connect_error for sockets), never an answer as someone, even on routes
 * that also serve anonymous callers.
 */
describe('security: forged, expired and foreign tokens', () => {
  let w: World;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  let forged: [string, string][];
  beforeAll(async () => {
    w = await buildWorld();
    operations = (await loadOperations(w.t)).filter((op) => op.bearer);
    schemas = await loadSchemas(w.t);
    // Forged from the admin's genuine token: the most valuable one to fake.
    const good = decodeJwt(w.people.admin.accessToken);
    const secret = appJwtSecret(w.t);
    const now = Math.floor(Date.now() / 1000);
    forged = [
      ['another secret', signJwt(good, 'another-secret-of-at-least-32-characters!!')],
      ['alg none', signJwt(good, '', { alg: 'none', typ: 'JWT' })],
      ['HS512', signJwt(good, secret, { alg: 'HS512', typ: 'JWT' })],
      ['expired', signJwt({ ...good, iat: now - 3600, exp: now - 60 }, secret)],
      ['wrong audience', signJwt({ ...good, aud: 'another-api' }, secret)],
      ['wrong issuer', signJwt({ ...good, iss: 'someone-else' }, secret)],
      [
        'unknown session',
        signJwt({ ...good, sid: '00000000-0000-4000-8000-000000000000' }, secret),
      ],
      ['garbage', 'not.a.jwt'],
    ];
  });
  afterAll(() => w?.t.close());

  it('walks a real API surface', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  it('every bearer route answers 401 to every forged token', async () => {
    const accepted: string[] = [];
    for (const op of operations) {
      const body = sampleBody(op.body, w.ids, schemas);
      for (const [name, token] of forged) {
        const answer = await call(w.t, op, w.ids, { token, body });
        if (answer.status !== 401 || !isProblem(answer)) {
          accepted.push(`${op.name} with ${name}: ${answer.status}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('the socket handshake refuses every forged token', async () => {
    const connected: string[] = [];
    for (const [name, token] of forged) {
      await connectSocket(w.t, token).then(
        (socket) => {
          connected.push(name);
          socket.close();
        },
        () => undefined,
      );
    }
    expect(connected).toEqual([]);
  });

  it('the genuine token still works (control)', async () => {
    expect((await w.t.get('/me', { token: w.people.admin.accessToken })).status).toBe(200);
    const socket = await connectSocket(w.t, w.people.admin.accessToken);
    socket.close();
  });
});
