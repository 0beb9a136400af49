import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { connectSocket, emitAck, joinGroup, registerUser } from '@kinship/testing';
import {
  fillPath,
  type Ids,
  isProblem,
  loadOperations,
  loadSchemas,
  type Operation,
  sampleBody,
  type Schema,
} from './support/api-surface';
import { buildWorld, type World } from './support/world';

/** Runs per route and per socket event; raise it (e.g. FUZZ_RUNS=500) for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/**
 * Reproduce a failure with the seed fast-check prints: FUZZ_SEED=<seed>. CI (CI=true) replays one
 * fixed seed so that a run's outcome depends on the code alone; local runs draw a fresh seed each
 * time and so keep hunting.
 */
const CI_SEED = 20261121;
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI === 'true'
    ? CI_SEED
    : undefined;

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\u202E\u200B',
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999999',
  'x'.repeat(70_000),
];

const nasty = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary' }));
const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nasty, fc.constant(null));
/** Percent-encoding of any string, lone surrogates included; or raw broken encodings. */
const encode = (v: string) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
const brokenEncodings = fc.constantFrom('%', '%E0%A4%A', '%zz', '%00', '..%2f..%2f');

/** Socket payloads stay under the chat payload limit: over it, socket.io drops the connection. */
const smallNasty = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 1_000)),
  fc.string({ unit: 'binary' }),
);
const smallJsonish = fc.oneof(fc.jsonValue({ maxDepth: 4 }), smallNasty, fc.constant(null));

/**
 * Random and hostile input on every route of the published API and every socket event: whatever
 * arrives, the answer is never a 5xx, every refusal is a problem document, and the process stays
 * up. The routes come from the server's own OpenAPI document, so new routes are fuzzed too.
 */
describe('security: fuzzing every route and socket event', () => {
  let w: World;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  beforeAll(async () => {
    w = await buildWorld();
    // Logging out ends the caller's session: leave it for last so the others keep their tokens.
    operations = (await loadOperations(w.t)).sort(
      (a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')),
    );
    schemas = await loadSchemas(w.t);
  });
  afterAll(() => w?.t.close());

  /** A body: free JSON, the valid sample with one field spoiled, or text that is not JSON. */
  const bodyFor = (op: Operation) => {
    const sample = sampleBody(op.body, w.ids, schemas);
    const fields = Object.keys(op.body?.properties ?? {});
    const spoiled =
      fields.length > 0 && sample && typeof sample === 'object'
        ? fc
            .tuple(fc.constantFrom(...fields), jsonish)
            .map(([field, value]) => JSON.stringify({ ...sample, [field]: value }))
        : jsonish.map((v) => JSON.stringify(v));
    return fc.oneof(
      spoiled,
      jsonish.map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
  };

  const queryFor = (op: Operation) =>
    fc
      .tuple(
        ...op.query.map((q) => fc.option(nasty.map((v) => `${q.name}=${encode(v)}`))),
        fc.option(nasty.map((v) => `unexpected=${encode(v)}`)),
        fc.option(brokenEncodings.map((v) => `cursor=${v}`)),
      )
      .map((parts) => parts.filter(Boolean).join('&'));

  const idsFor = (op: Operation) =>
    fc
      .tuple(
        ...op.pathParams.map((name) =>
          fc.oneof(
            fc.constant(w.ids[name] ?? randomUUID()),
            fc.uuid(),
            nasty.map((v) => encode(v).slice(0, 2000) || 'x'),
            brokenEncodings,
          ),
        ),
      )
      .map((values) => Object.fromEntries(op.pathParams.map((name, i) => [name, values[i]])));

  it('no route answers 5xx, and every refusal is a problem document', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const tokens = [
      w.people.member.accessToken,
      w.people.outsider.accessToken,
      w.people.groupModerator.accessToken,
      w.people.admin.accessToken,
      undefined,
    ];
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(
          bodyFor(op),
          queryFor(op),
          idsFor(op),
          fc.constantFrom(...tokens),
          async (raw, query, ids: Ids, token) => {
            const path = fillPath(op, ids) + (query ? `?${query}` : '');
            const answer = await w.t.request(op.method, path, {
              token,
              raw: op.method === 'GET' || op.method === 'DELETE' ? undefined : raw,
              headers: { 'content-type': 'application/json' },
            });
            if (answer.status >= 500 || (answer.status >= 400 && !isProblem(answer))) {
              throw new Error(`${op.name} → ${answer.status} ${answer.text.slice(0, 200)}`);
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    }
    expect((await w.t.get('/health')).status).toBe(200);
  });

  it('no socket event crashes anything, and every known event answers its ack', async () => {
    // A member of their own: the route fuzzing above may have logged out or suspended the others.
    const fuzzer = await registerUser(w.t);
    await joinGroup(w.t, w.ids.groupId, fuzzer.accessToken, fuzzer.id, w.people.owner.accessToken);
    const socket = await connectSocket(w.t, fuzzer.accessToken);
    const known = ['chat:subscribe', 'chat:unsubscribe', 'chat:send', 'chat:typing', 'chat:read'];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...known),
          fc.oneof(
            smallJsonish,
            fc.record({
              groupId: fc.oneof(fc.constant(w.ids.groupId), smallNasty),
              body: smallJsonish,
            }),
            fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
          ),
          async (event, payload) => {
            const answer = await emitAck(socket, event, payload);
            if (typeof answer?.ok !== 'boolean') {
              throw new Error(`${event}: ack ${JSON.stringify(answer)}`);
            }
            if (
              answer.ok === false &&
              !(answer.error?.status >= 400 && answer.error.status < 500)
            ) {
              throw new Error(`${event}: ${JSON.stringify(answer)}`);
            }
          },
        ),
        { numRuns: RUNS * 10, seed: SEED },
      );
      // Events nobody declared, with and without an ack callback, and junk payloads.
      for (const event of ['chat:explode', 'admin:promote', '__proto__', 'constructor', '']) {
        socket.emit(event, { groupId: w.ids.groupId });
        socket.emit(event, Buffer.from([0, 1, 2]));
      }
      // Still connected (flood control may refuse it for a moment, which is an answer too),
      // and a new connection is served as usual.
      const still = await emitAck(socket, 'chat:subscribe', { groupId: w.ids.groupId });
      expect(typeof still.ok).toBe('boolean');
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
    const fresh = await connectSocket(w.t, fuzzer.accessToken);
    expect((await emitAck(fresh, 'chat:subscribe', { groupId: w.ids.groupId })).ok).toBe(true);
    fresh.close();
    expect((await w.t.get('/health')).status).toBe(200);
  });
});
