#!/usr/bin/env node
/**
 * GET a page of 20 posts with a member's token: the built api against a minimal node:http + pg
 * handler (bare-server.mjs) that runs the same SQL on the same database, measured in one run with
 * autocannon (50 connections, 10 s each, after a short warm-up). Real PostgreSQL only.
 *
 *   npm run bench:posts                             # builds the api
 *   BENCH_DATABASE_URL=postgres://… BENCH_SECONDS=20 npm run bench:posts
 *   npm run bench:posts -- --log-level info         # the api's request log on (default: warn)
 *
 * Seeds one public group, one thread with 220 posts and a member, on a database of its own
 * (kinship_bench, created when missing). Writes bench/results/posts-page.json.
 * Goal: ratio (api req/s ÷ bare req/s) ≥ 0.5 and the api's p99 ≤ 50 ms; exits 1 when missed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { staffLogin } from '../staff-login.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const BARE_MAIN = join(ROOT, 'bench', 'posts-page', 'bare-server.mjs');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'posts-page.json');
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kinship_bench';
const JWT_SECRET = 'posts-page-benchmark-only-secret-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const POSTS = 220;
const GOAL = { ratio: 0.5, p99Ms: 50 };
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const API_LOG_LEVEL = argValue('--log-level') ?? 'warn';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function ensureDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await admin.end();
}

/** Starts a server process and waits until `ready` answers 200. */
async function start(name, args, env, ready) {
  const logFile = join(os.tmpdir(), `kinship-bench-${name}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', out, out],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(ready)).status === 200) return { child, logFile };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start; see ${logFile}`);
}

async function stop(child) {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** One group, one thread with POSTS posts, a member's token; through the api like a client. */
async function seed(base, admin) {
  const call = async (method, path, body, token) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const suffix = Date.now().toString(36);
  const { accessToken: adminToken } = await staffLogin(call, admin);
  const group = await call(
    'POST',
    '/groups',
    {
      name: `Benchmark group ${suffix}`,
      slug: `bench-${suffix}`,
      condition: 'Type 1 diabetes',
      description: 'Posts page benchmark',
      visibility: 'public',
      joinPolicy: 'open',
    },
    adminToken,
  );
  const members = [];
  for (let i = 0; i < 5; i++) {
    const m = await call('POST', '/auth/register', {
      email: `bench-${suffix}-${i}@example.org`,
      password: `calm-river-${suffix}-${i}`,
      handle: `bench_${suffix}_${i}`,
    });
    await call('POST', `/groups/${group.id}/members`, undefined, m.accessToken);
    members.push(m);
  }
  const author = (i) => members[i % members.length].accessToken;
  const thread = await call(
    'POST',
    `/groups/${group.id}/threads`,
    { title: 'Benchmark thread', body: 'The **first** post, with a [link](https://example.org).' },
    author(0),
  );
  for (let i = 1; i < POSTS; i++) {
    const body = `Reply ${i}: thank you for sharing. *Same here*, see https://example.org/${i}.`;
    await call('POST', `/threads/${thread.id}/posts`, { body }, author(i));
  }
  // The reader reacted to a few posts, so myReactions is not always empty.
  const page = await call('GET', `/threads/${thread.id}/posts?limit=20`, undefined, author(0));
  for (const p of page.items.slice(0, 5)) {
    await call('POST', `/posts/${p.id}/reactions`, { kind: 'hug' }, members[1].accessToken);
  }
  return { threadId: thread.id, token: members[1].accessToken };
}

/**
 * The two servers take turns (ROUNDS rounds of SECONDS / ROUNDS each), so a change in the
 * machine's background load during the run weighs on both alike. req/s: all requests over all
 * rounds; p99: the worst round's (autocannon reports percentiles per run, not histograms).
 */
async function measure(targets, token) {
  const results = Object.fromEntries(targets.map((t) => [t.name, []]));
  const run = (url, duration) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      headers: { authorization: `Bearer ${token}` },
    });
  for (const t of targets) await run(t.url, 2); // warm-up: pools, JIT, caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) results[t.name].push(await run(t.url, SECONDS / ROUNDS));
  }
  return Object.fromEntries(
    targets.map(({ name }) => {
      const rounds = results[name];
      const requests = rounds.reduce((n, r) => n + r.requests.total, 0);
      const seconds = rounds.reduce((n, r) => n + r.duration, 0);
      const worst = (key) => Math.max(...rounds.map((r) => r.latency[key]));
      const result = {
        requestsPerSecond: Math.round(requests / seconds),
        latencyMs: { p50: worst('p50'), p90: worst('p90'), p99: worst('p99'), max: worst('max') },
        roundsRequestsPerSecond: rounds.map((r) => Math.round(r.requests.average)),
        roundsP99Ms: rounds.map((r) => r.latency.p99),
        requests,
        non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
        errors: rounds.reduce((n, r) => n + r.errors, 0),
      };
      console.log(
        `${name.padEnd(5)} ${String(result.requestsPerSecond).padStart(6)} req/s  p99 ${result.latencyMs.p99} ms  rounds ${result.roundsRequestsPerSecond.join('/')} req/s, p99 ${result.roundsP99Ms.join('/')} ms  non-2xx ${result.non2xx}  errors ${result.errors}`,
      );
      return [name, result];
    }),
  );
}

async function main() {
  await ensureDatabase();
  // A new admin per run: the database is kept between runs, and each admin enrols two-factor.
  const admin = {
    email: `bench-admin-${Date.now().toString(36)}@example.org`,
    password: 'steady-harbour-bench-0001',
  };
  const apiPort = await freePort();
  const barePort = await freePort();
  const apiBase = `http://127.0.0.1:${apiPort}`;
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the api
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const api = await start(
    'api',
    [...nodeArgs, API_MAIN],
    {
      NODE_ENV: 'production',
      LOG_LEVEL: API_LOG_LEVEL,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL,
      JWT_SECRET,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      READ_RATE_LIMIT_PER_MINUTE: '1000000',
    },
    `${apiBase}/health`,
  );
  const bare = await start(
    'bare',
    [BARE_MAIN],
    { PORT: String(barePort), DATABASE_URL, JWT_SECRET },
    `http://127.0.0.1:${barePort}/health`,
  );
  let results;
  try {
    const { threadId, token } = await seed(apiBase, admin);
    const path = `/threads/${threadId}/posts?limit=20`;
    // Both answer the same page, byte for byte.
    const [a, b] = await Promise.all(
      [`${apiBase}/api/v1${path}`, `http://127.0.0.1:${barePort}${path}`].map((u) =>
        fetch(u, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()),
      ),
    );
    if (a !== b) {
      const at = [...a].findIndex((ch, i) => ch !== b[i]);
      throw new Error(
        `the two servers answer differently from character ${at}: …${a.slice(at - 80, at + 80)}… vs …${b.slice(at - 80, at + 80)}…`,
      );
    }
    const loadBefore = os.loadavg();
    const { api: apiResult, bare: bareResult } = await measure(
      [
        { name: 'api', url: `${apiBase}/api/v1${path}` },
        { name: 'bare', url: `http://127.0.0.1:${barePort}${path}` },
      ],
      token,
    );
    const ratio =
      Math.round((apiResult.requestsPerSecond / bareResult.requestsPerSecond) * 100) / 100;
    const met = ratio >= GOAL.ratio && apiResult.latencyMs.p99 <= GOAL.p99Ms;
    results = {
      benchmark: 'GET /api/v1/threads/{threadId}/posts?limit=20 with a Bearer token',
      when: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
        loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
      },
      setup: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        rounds: ROUNDS,
        postsInThread: POSTS,
        apiLogLevel: API_LOG_LEVEL,
      },
      api: apiResult,
      bare: bareResult,
      ratio,
      goal: GOAL,
      met,
    };
    console.log(
      `ratio ${ratio} (goal ≥ ${GOAL.ratio}); api p99 ${apiResult.latencyMs.p99} ms (goal ≤ ${GOAL.p99Ms}): ${met ? 'met' : 'MISSED'}`,
    );
  } finally {
    await stop(api.child);
    await stop(bare.child);
  }
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  process.exitCode = results.met ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
