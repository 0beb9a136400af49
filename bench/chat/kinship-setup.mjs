/**
 * Kinship's side of the room, set up over HTTP: a moderator (promoted by the bootstrap admin)
 * creates a public group, and CFG.users accounts register and join it.
 */
import { randomBytes } from 'node:crypto';
import { staffLogin } from '../staff-login.mjs';
import { CFG } from './config.mjs';
import { log } from './helpers.mjs';

async function http(baseUrl, method, path, body, token) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json, text };
}

async function expectStatus(p, status, what) {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 500)}`);
  return r.body;
}

async function pool(items, concurrency, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export async function setupKinship(baseUrl, admin) {
  const suffix = randomBytes(4).toString('hex');
  const call = (method, path, body, token) =>
    expectStatus(http(baseUrl, method, path, body, token), 200, `${method} ${path}`);
  const adminLogin = await staffLogin(call, admin);
  const modInput = {
    email: `bench-mod-${suffix}@example.org`,
    handle: `bench_mod_${suffix}`,
    password: `calm-river-${suffix}-mod`,
  };
  const mod = await expectStatus(
    http(baseUrl, 'POST', '/auth/register', modInput),
    201,
    'register moderator',
  );
  await expectStatus(
    http(
      baseUrl,
      'PATCH',
      `/admin/users/${mod.user.id}`,
      { role: 'moderator' },
      adminLogin.accessToken,
    ),
    200,
    'make moderator',
  );
  const modLogin = await staffLogin(call, {
    email: modInput.email,
    password: modInput.password,
  });
  const group = await expectStatus(
    http(
      baseUrl,
      'POST',
      '/groups',
      {
        name: `Chat bench ${suffix}`,
        slug: `chat-bench-${suffix}`,
        condition: 'Inflammatory bowel disease',
        conditionCode: 'K50',
        description: 'Benchmark room.',
        visibility: 'public',
        joinPolicy: 'open',
      },
      modLogin.accessToken,
    ),
    201,
    'create group',
  );
  const t0 = Date.now();
  const users = await pool(
    Array.from({ length: CFG.users }, (_, i) => i),
    4,
    async (i) => {
      const input = {
        email: `bench-${suffix}-${i}@example.org`,
        handle: `bench_${suffix}_${i}`,
        password: `calm-river-${suffix}-${i}`,
      };
      const u = await expectStatus(
        http(baseUrl, 'POST', '/auth/register', input),
        201,
        `register user ${i}`,
      );
      await expectStatus(
        http(baseUrl, 'POST', `/groups/${group.id}/members`, undefined, u.accessToken),
        201,
        `join ${i}`,
      );
      return { id: u.user.id, token: u.accessToken };
    },
  );
  log(
    `kinship: ${users.length} users registered and joined in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { groupId: group.id, members: users.map((u) => ({ token: u.token })) };
}
