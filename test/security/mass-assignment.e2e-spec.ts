import { randomUUID } from 'node:crypto';
import {
  isProblem,
  loadOperations,
  loadSchemas,
  type Operation,
  sampleBody,
  type Schema,
} from './support/api-surface';
import { buildWorld, type World } from './support/world';

/** Fields a caller might slip into a body to promote themselves or rewrite someone else's data. */
const SMUGGLED: [string, unknown][] = Object.entries({
  role: 'admin',
  isAdmin: true,
  id: '00000000-0000-4000-8000-000000000001',
  authorId: '00000000-0000-4000-8000-000000000002',
  ownerId: '00000000-0000-4000-8000-000000000003',
  createdAt: '2000-01-01T00:00:00.000Z',
  passwordHash: 'x',
  deletedAt: null,
  constructor: { prototype: { role: 'admin' } },
});
// Prototype pollution through JSON: only expressible in the raw text.
SMUGGLED.push(['__proto__', { role: 'admin' }]);

/**
 * Mass assignment: every body the API takes, valid in itself, with fields it does not declare
 * added, is refused as a 400 problem naming the field, whoever sends it (here the admin, who
 * passes every permission check, so only the body decides).
 */
describe('security: bodies take only their declared fields', () => {
  let w: World;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  beforeAll(async () => {
    w = await buildWorld();
    operations = (await loadOperations(w.t)).filter((op) => op.body);
    schemas = await loadSchemas(w.t);
  });
  afterAll(() => w?.t.close());

  it('every undeclared field in every body is a 400 naming it', async () => {
    expect(operations.length).toBeGreaterThan(10);
    const accepted: string[] = [];
    for (const op of operations) {
      const declared = new Set(Object.keys(op.body?.properties ?? {}));
      for (const [field, value] of SMUGGLED) {
        if (declared.has(field)) continue;
        const body = JSON.stringify(sampleBody(op.body, w.ids, schemas) ?? {});
        const extra = `${JSON.stringify(field)}:${JSON.stringify(value)}`;
        const raw = body === '{}' ? `{${extra}}` : `{${extra},${body.slice(1)}`;
        const answer = await w.t.request(op.method, fillPathFor(op), {
          token: w.people.admin.accessToken,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        // The JSON parser itself refuses prototype keys, before any field is looked at.
        const named =
          ['__proto__', 'constructor'].includes(field) ||
          (answer.body?.errors ?? []).some((e: { field: string }) => e.field?.includes(field));
        if (answer.status !== 400 || !isProblem(answer) || !named) {
          accepted.push(`${op.name} + ${field}: ${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('a declared field sent as null is a 400 naming it, unless the contract allows null', async () => {
    const accepted: string[] = [];
    for (const op of operations) {
      for (const [field, schema] of Object.entries<Schema>(op.body?.properties ?? {})) {
        if (schema.nullable) continue;
        const body = { ...sampleBody(op.body, w.ids, schemas), [field]: null };
        const answer = await w.t.request(op.method, fillPathFor(op), {
          token: w.people.admin.accessToken,
          body,
        });
        const named = (answer.body?.errors ?? []).some((e: { field: string }) =>
          e.field?.includes(field),
        );
        if (answer.status !== 400 || !isProblem(answer) || !named) {
          accepted.push(`${op.name} ${field}=null: ${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('a role in a registration body does not make an admin', async () => {
    const suffix = randomUUID().slice(0, 8);
    const answer = await w.t.post('/auth/register', {
      email: `climber-${suffix}@example.org`,
      handle: `climber_${suffix}`,
      password: `quiet-meadow-${suffix}`,
      role: 'admin',
    });
    expect(answer.status).toBe(400);
    const login = await w.t.post('/auth/login', {
      email: `climber-${suffix}@example.org`,
      password: `quiet-meadow-${suffix}`,
    });
    expect(login.status).toBe(401);
  });

  const fillPathFor = (op: Operation) =>
    op.path.replace(/\{(\w+)\}/g, (_, param: string) => w.ids[param] ?? randomUUID());
});
