#!/usr/bin/env node
/**
 * Chat benchmark: bare socket.io against Kinship chat, in one run, on this machine.
 *
 *   npm run bench:chat                      # builds the api, then runs everything (~10-11 min)
 *   node bench/chat/run.mjs --rounds 3      # fewer repetitions (default 5; 1,000 clients: at most 2)
 *   node bench/chat/run.mjs --profile       # also writes a --cpu-prof of both servers (bench/.work/chat-prof)
 *   node bench/chat/run.mjs --quick         # a ~1 min smoke test of the script (figures meaningless)
 *   node bench/chat/run.mjs --redis         # the api with REDIS_URL (Redis streams adapter)
 *
 * Processes: this orchestrator; the bare server (bare-server.mjs); the built api
 * (dist/apps/api/src/main.js) on a fresh PostgreSQL database (dropped at the end); one load
 * generator (loadgen.mjs). Server CPU is read from /proc/<pid>/stat (utime+stime) at the start
 * and end of each measured window; PostgreSQL's share is the backends connected to the bench
 * database plus the shared WAL writer / background writer / checkpointer.
 *
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used to
 * create and drop the bench database. Writes bench/results/chat.json (or --out FILE) and prints
 * a markdown table. Exits 1 when a phase failed; goals missed are reported, not fatal.
 */
import { fork, spawn } from 'node:child_process';
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { staffLogin } from '../staff-login.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
// The api runs with the node flags of `npm start` (as in production, and the Docker image).
const API_NODE_FLAGS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((arg) => arg.startsWith('--'));
const WORK_DIR = join(ROOT, 'bench', '.work');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const OUT = resolve(option('--out', join(ROOT, 'bench', 'results', 'chat.json')));
// Five rounds per side by default: one round's p99 on this shared VM ranges 5-155 ms for bare
// socket.io alone (the host's steal), and a median of five moves less with one disturbed round.
const ROUNDS = Math.max(1, Math.min(5, Number(option('--rounds', '5'))));
/** Only the 100 clients x 200 msg/s latency rounds (a quick check of the p99), printed. */
const SMALL_ONLY = flag('--small-only');
/** Only the acknowledged msg/s rounds (10-member room), printed. */
const ACKS_ONLY = flag('--acks-only');
const LARGE_ROUNDS = Math.min(ROUNDS, 2);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = flag('--redis') ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined;
const TICK_US = 1e6 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);

/** The scenarios of the issue; msg/s are per room (aggregate over its senders). */
const CFG = {
  users: 200, // Kinship accounts; the 1,000-client room puts 5 sockets on each (membership is per user)
  small: {
    clients: 100,
    senders: 20,
    rate: 200,
    warmupMs: 3_000,
    durationMs: 15_000,
    drainMs: 2_000,
  },
  large: {
    clients: 1_000,
    senders: 20,
    rate: 20,
    warmupMs: 3_000,
    durationMs: 20_000,
    drainMs: 3_000,
  },
  cpu: { clients: 100, senders: 20, window: 4, warmupMs: 2_000, durationMs: 8_000 }, // the room of `small`
  acks: { clients: 10, senders: 10, window: 16, warmupMs: 2_000, durationMs: 8_000 },
};
if (flag('--quick')) {
  // A smoke test of the script itself (~1 min): the figures are not meaningful.
  for (const c of [CFG.small, CFG.large, CFG.cpu, CFG.acks]) {
    c.warmupMs = 500;
    c.durationMs = 2_000;
  }
  CFG.users = 40;
  CFG.large.clients = 200;
}
const GOALS = {
  cpuPerDelivery: 1.5, // Kinship api µs per delivery <= 1.5 x bare
  p99Small: 2, // fan-out p99 at 100 clients x 200 msg/s <= 2 x bare
  p99Large: 1.5, // fan-out p99 at 1,000 clients x 20 msg/s <= 1.5 x bare
  kbPerClient: 50, // Kinship resident memory per connected client
  ackedPerSecond: 3_000, // Kinship acknowledged msg/s
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...m) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...m);
const round = (v, d = 2) =>
  v == null || Number.isNaN(v) ? null : Math.round(v * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------
// processes

const children = new Set();
function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Spawns a server with the inspector on (for a forced GC before memory readings). */
function spawnServer(name, script, env, extraArgs = []) {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...extraArgs, script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const proc = { name, child, pid: child.pid, output: '', inspector: undefined };
  const onData = (d) => {
    proc.output += d.toString();
    if (proc.output.length > 200_000) proc.output = proc.output.slice(-100_000);
    const m = /Debugger listening on (ws:\/\/\S+)/.exec(proc.output);
    if (m) proc.inspector = m[1];
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  proc.exited = new Promise((r) =>
    child.on('exit', (code, signal) => (children.delete(child), r(code ?? signal))),
  );
  return proc;
}

async function waitHealthy(proc, baseUrl, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200 && proc.inspector) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${proc.name} did not start:\n${proc.output.slice(-4000)}`);
}

async function stopProcess(proc, timeoutMs = 20_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Runs `expression` in the server through its inspector, after a full garbage collection. */
async function inspect(proc, expression, gc = true) {
  const ws = new WebSocket(proc.inspector);
  await new Promise((res, rej) => (ws.once('open', res), ws.once('error', rej)));
  let id = 0;
  const call = (method, params = {}) =>
    new Promise((res, rej) => {
      const my = ++id;
      const onMsg = (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.id !== my) return;
        ws.off('message', onMsg);
        if (msg.error) rej(new Error(JSON.stringify(msg.error)));
        else res(msg.result);
      };
      ws.on('message', onMsg);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  try {
    if (gc) {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
    }
    const r = await call('Runtime.evaluate', { expression, returnByValue: true });
    return r.result.value;
  } finally {
    ws.close();
  }
}

// ---------------------------------------------------------------------------------------------
// /proc readings

function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields from 3 on: utime = 14, stime = 15, starttime = 22 (1-based in proc(5))
    return { cpuUs: (Number(f[11]) + Number(f[12])) * TICK_US, start: Number(f[19]) };
  } catch {
    return undefined;
  }
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

function machineBusy() {
  const f = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = f[3] + f[4];
  const steal = f[7]; // the hypervisor ran something else on our vCPU: time we did not get
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return {
    busyUs: (total - idle - steal) * TICK_US,
    stealUs: steal * TICK_US,
    totalUs: total * TICK_US,
  };
}

/** PostgreSQL processes that work for the bench database, and the shared writers. */
function postgresPids(dbName) {
  const backends = [];
  const shared = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let cmd;
    try {
      cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres:')) continue;
    if (cmd.includes(` ${dbName} `)) backends.push(Number(d));
    else if (/(checkpointer|background writer|walwriter)/.test(cmd)) shared.push(Number(d));
  }
  return { backends, shared };
}

/**
 * CPU of a set of processes over a window. PostgreSQL backends come and go (the pool closes idle
 * connections), so they are polled every 250 ms; a backend first seen mid-window counts from 0.
 */
class CpuWindow {
  constructor(server, loadgenPid, dbName) {
    this.server = server;
    this.loadgenPid = loadgenPid;
    this.dbName = dbName;
  }
  start() {
    this.t0 = performance.now();
    this.s0 = procStat(this.server.pid).cpuUs;
    this.g0 = procStat(this.loadgenPid).cpuUs;
    this.m0 = machineBusy();
    this.pg = new Map(); // pid -> {kind, first, last}
    this.pollPg(true);
    this.timer = setInterval(() => this.pollPg(false), 250);
  }
  pollPg(initial) {
    if (!this.dbName) return;
    const { backends, shared } = postgresPids(this.dbName);
    for (const [kind, pids] of [
      ['backend', backends],
      ['shared', shared],
    ]) {
      for (const pid of pids) {
        const st = procStat(pid);
        if (!st) continue;
        const seen = this.pg.get(pid);
        if (seen) seen.last = st.cpuUs;
        else this.pg.set(pid, { kind, first: initial ? st.cpuUs : 0, last: st.cpuUs });
      }
    }
  }
  end() {
    clearInterval(this.timer);
    this.pollPg(false);
    const wallUs = (performance.now() - this.t0) * 1000;
    const serverUs = procStat(this.server.pid).cpuUs - this.s0;
    const loadgenUs = procStat(this.loadgenPid).cpuUs - this.g0;
    const m1 = machineBusy();
    let pgBackendUs = 0;
    let pgSharedUs = 0;
    for (const v of this.pg.values()) {
      if (v.kind === 'backend') pgBackendUs += v.last - v.first;
      else pgSharedUs += v.last - v.first;
    }
    const machineUs = m1.busyUs - this.m0.busyUs;
    const ours = serverUs + loadgenUs + pgBackendUs + pgSharedUs;
    return {
      wallMs: round(wallUs / 1000, 0),
      serverCpuUs: serverUs,
      serverCores: round(serverUs / wallUs, 3),
      pgBackendCpuUs: pgBackendUs,
      pgSharedCpuUs: pgSharedUs,
      pgBackends: [...this.pg.values()].filter((v) => v.kind === 'backend').length,
      loadgenCores: round(loadgenUs / wallUs, 3),
      // Everything else running on the machine meanwhile (other users' work competes for 2 vCPUs).
      otherCores: round(Math.max(0, machineUs - ours) / wallUs, 3),
      // Cores' worth of time the host kept from this VM (a busy host makes every figure slower).
      stealCores: round((m1.stealUs - this.m0.stealUs) / wallUs, 3),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// load generator

let loadgen;
let nextId = 0;
const pending = new Map();
let markHandler;
function startLoadgen() {
  loadgen = fork(join(HERE, 'loadgen.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(loadgen);
  loadgen.on('exit', () => children.delete(loadgen));
  loadgen.on('message', (msg) => {
    if (msg.mark) return markHandler?.(msg.mark);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  });
}
function lg(cmd, a) {
  const id = ++nextId;
  return new Promise((res, rej) => {
    pending.set(id, { resolve: res, reject: rej });
    loadgen.send({ id, cmd, args: a });
  });
}

/**
 * This machine is shared: before a measured phase, wait (at most QUIET_MAX_MS) for a second in
 * which other processes use less than QUIET_CORES of the 2 vCPUs. What they used during each
 * window is reported as cpu.otherCores either way.
 */
const QUIET_CORES = 0.5;
const QUIET_MAX_MS = flag('--quick') ? 0 : 5_000;
async function quiet(server, dbName) {
  const deadline = Date.now() + QUIET_MAX_MS;
  let others;
  do {
    const w = new CpuWindow(server, loadgen.pid, dbName);
    w.start();
    await sleep(1_000);
    others = w.end().otherCores;
    if (others < QUIET_CORES) return { waitedMs: QUIET_MAX_MS - (deadline - Date.now()), others };
  } while (Date.now() < deadline);
  return { waitedMs: QUIET_MAX_MS, others, gaveUp: true };
}

/**
 * What the PostgreSQL cluster did during a window, read from its statistics every 250 ms:
 * - transactions committed by its other databases (other people's test suites here), which share
 *   its WAL, and so its flushes, with Kinship's commits;
 * - the WAL flushes (fdatasync) and the time they took (pg_stat_wal; the bench database sets
 *   track_wal_io_timing). Every Kinship message waits for one before its ack, and this machine's
 *   disk now and then takes 100-600 ms for one: the busiest 250 ms slice shows such a stall
 *   (~20 ms of flushing in a slice at 200 commits/s; a stall fills the slice).
 */
let statsDb;
let benchDbName;
class ClusterWindow {
  reads = 0; // this window's own statistics queries (each one a transaction in another database)
  async read() {
    this.reads++;
    const { rows } = await statsDb.query(
      `SELECT (SELECT sum(xact_commit) FROM pg_stat_database WHERE datname <> $1)::float8 AS commits,
              wal_sync::float8 AS syncs, wal_sync_time::float8 AS "syncMs",
              wal_bytes::float8 AS bytes, wal_fpi::float8 AS fpi FROM pg_stat_wal`,
      [benchDbName],
    );
    return { ...rows[0], at: performance.now() };
  }
  start() {
    if (!statsDb) return;
    this.first = this.read();
    this.previous = this.first;
    this.slices = [];
    this.timer = setInterval(() => {
      if (this.polling) return; // a slow answer: the next slice is longer, not overlapping
      this.polling = true;
      const [a, b] = [this.previous, (this.previous = this.read())];
      this.polled = Promise.all([a, b])
        .then(([x, y]) => this.slices.push([y.syncMs - x.syncMs, y.at - x.at]))
        .catch(() => undefined)
        .finally(() => (this.polling = false));
    }, 250);
  }
  async end() {
    if (!statsDb) return {};
    clearInterval(this.timer);
    await this.polled;
    const [first, previous, last] = await Promise.all([this.first, this.previous, this.read()]);
    this.slices.push([last.syncMs - previous.syncMs, last.at - previous.at]);
    const busiest = this.slices.reduce((a, b) => (b[0] > a[0] ? b : a), [0, 0]);
    const seconds = (last.at - first.at) / 1000;
    return {
      // Less these reads' own transactions (the stats connection is in another database).
      otherDbCommitsPerSecond: round(
        Math.max(0, last.commits - first.commits - (this.reads - 1)) / seconds,
        0,
      ),
      walSyncs: last.syncs - first.syncs,
      walSyncMs: round(last.syncMs - first.syncMs, 1),
      walSyncMsBusiestSlice: round(busiest[0], 1),
      busiestSliceMs: round(busiest[1], 0),
      longestSliceMs: round(Math.max(...this.slices.map((x) => x[1])), 0),
      walBytes: last.bytes - first.bytes,
      walFullPageImages: last.fpi - first.fpi,
    };
  }
}

/** Runs a loadgen phase while measuring the server's CPU between the loadgen's marks. */
async function measured(server, dbName, cmd, a) {
  const gate = await quiet(server, dbName);
  const win = new CpuWindow(server, loadgen.pid, dbName);
  const cluster = new ClusterWindow();
  let cpu;
  let clusterDone;
  markHandler = (m) => {
    if (m === 'start') {
      win.start();
      cluster.start();
    } else if (m === 'end') {
      cpu = win.end();
      clusterDone = cluster.end();
    }
  };
  const result = await lg(cmd, a);
  markHandler = undefined;
  const { otherDbCommitsPerSecond, ...postgres } = (await clusterDone) ?? {};
  if (otherDbCommitsPerSecond != null) cpu.otherDbCommitsPerSecond = otherDbCommitsPerSecond;
  return { ...result, cpu, postgres, quietGate: gate };
}

// ---------------------------------------------------------------------------------------------
// Kinship setup over HTTP

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

async function setupKinship(baseUrl, admin) {
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

// ---------------------------------------------------------------------------------------------
// scenarios

/** `n` room members: the first `senders` are socket.io-client senders, the rest LightClients. */
function membersFor(target, n, senders) {
  return Array.from({ length: n }, (_, i) => ({
    sender: i < senders,
    auth: target.authFor(i),
  }));
}

async function memoryReading(target) {
  const value = await inspect(target.proc, 'JSON.stringify(process.memoryUsage())');
  const mu = JSON.parse(value);
  return {
    rssKb: rssKb(target.proc.pid),
    heapUsedKb: Math.round(mu.heapUsed / 1024),
    externalKb: Math.round(mu.external / 1024),
  };
}

/** Connects `n` members of the target's room (tag `${scenario}-${target}`); the room stays up across rounds. */
async function connectRoom(scenario, target, n, senders) {
  const conn = await lg('connect', {
    tag: `${scenario}-${target.name}`,
    url: target.url,
    groupId: target.groupId,
    members: membersFor(target, n, senders),
    concurrency: 20,
  });
  return conn;
}
const closeRoom = (scenario, target) => lg('close', { tag: `${scenario}-${target.name}` });

/** 1,000 clients: resident memory per client (0 vs 1,000 connected and subscribed). */
async function connectLarge(target) {
  const c = CFG.large;
  await sleep(1_000);
  const before = await memoryReading(target);
  const conn = await connectRoom('large', target, c.clients, c.senders);
  log(
    `${target.name}: ${conn.members} clients connected and subscribed in ${(conn.ms / 1000).toFixed(1)} s`,
  );
  await sleep(3_000);
  const rssNoGc = rssKb(target.proc.pid);
  const after = await memoryReading(target);
  const memory = {
    clients: c.clients,
    before,
    after,
    rssNoGcKb: rssNoGc,
    kbPerClient: round((after.rssKb - before.rssKb) / c.clients, 1),
    kbPerClientNoGc: round((rssNoGc - before.rssKb) / c.clients, 1),
    heapKbPerClient: round((after.heapUsedKb - before.heapUsedKb) / c.clients, 1),
    connectMs: conn.ms,
  };
  log(
    `${target.name}: memory ${memory.kbPerClient} KB/client (RSS after GC; ${memory.kbPerClientNoGc} without forcing GC)`,
  );
  return memory;
}

/** The round's WAL flushing, when the cluster flushed at all (Kinship's rounds). */
const walNote = (r) =>
  r.postgres?.walSyncs
    ? `; WAL flushes ${r.postgres.walSyncs} (${r.postgres.walSyncMs} ms), busiest 250 ms ${r.postgres.walSyncMsBusiestSlice} ms (slice ${r.postgres.busiestSliceMs} ms, longest ${r.postgres.longestSliceMs}), ${round(r.postgres.walBytes / 1024, 0)} KB written (${r.postgres.walFullPageImages} full-page images)`
    : '';

async function largeLatency(target) {
  const r = await measured(target.proc, target.dbName, 'open', {
    tag: `large-${target.name}`,
    groupId: target.groupId,
    ...CFG.large,
  });
  log(
    `${target.name}: 1,000 x 20/s fan-out p50 ${r.fanoutMs?.p50} p99 ${r.fanoutMs?.p99} ms; ack p99 ${r.ackMs?.p99} ms${walNote(r)}`,
  );
  return r;
}

async function smallLatency(target) {
  const r = await measured(target.proc, target.dbName, 'open', {
    tag: `small-${target.name}`,
    groupId: target.groupId,
    ...CFG.small,
  });
  log(
    `${target.name}: 100 x 200/s fan-out p50 ${r.fanoutMs?.p50} p99 ${r.fanoutMs?.p99} ms; ack p99 ${r.ackMs?.p99} ms${walNote(r)}`,
  );
  return r;
}

/** The 100-member room of the latency phase, every sender keeping CFG.cpu.window sends in flight. */
async function cpuFlood(target) {
  const c = CFG.cpu;
  const r = await measured(target.proc, target.dbName, 'flood', {
    tag: `small-${target.name}`,
    groupId: target.groupId,
    ...c,
  });
  r.serverUsPerDelivery = round(r.cpu.serverCpuUs / r.deliveries, 2);
  r.totalUsPerDelivery = round(
    (r.cpu.serverCpuUs + r.cpu.pgBackendCpuUs + r.cpu.pgSharedCpuUs) / r.deliveries,
    2,
  );
  log(
    `${target.name}: 100-member flood ${r.ackedPerSecond} acks/s, ${r.deliveriesPerSecond} deliveries/s, ` +
      `${r.serverUsPerDelivery} µs server CPU/delivery (${r.totalUsPerDelivery} with PostgreSQL), server ${r.cpu.serverCores} cores`,
  );
  return r;
}

async function ackFlood(target) {
  const c = CFG.acks;
  const r = await measured(target.proc, target.dbName, 'flood', {
    tag: `acks-${target.name}`,
    groupId: target.groupId,
    ...c,
  });
  r.serverUsPerAck = round(r.cpu.serverCpuUs / r.acked, 1);
  r.pgUsPerAck = round((r.cpu.pgBackendCpuUs + r.cpu.pgSharedCpuUs) / r.acked, 1);
  log(
    `${target.name}: ${c.senders} senders x window ${c.window}: ${r.ackedPerSecond} acked msg/s (server ${r.cpu.serverCores} cores, errors ${r.ackErrors})`,
  );
  return r;
}

/** Round r runs bare then Kinship, or Kinship then bare (ABBA), so drift in the machine's load hits both. */
const orderOf = (r) => (r % 2 ? ['kinship', 'bare'] : ['bare', 'kinship']);

// ---------------------------------------------------------------------------------------------

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (!existsSync(API_MAIN))
    throw new Error(
      `${relative(ROOT, API_MAIN)} is missing: run "npm run bench:chat" (it builds the api)`,
    );
  mkdirSync(WORK_DIR, { recursive: true });
  const started = new Date();
  const dbName = `kinship_bench_chat_${randomBytes(4).toString('hex')}`;
  const admin = {
    email: `bench-admin-${randomBytes(3).toString('hex')}@example.org`,
    password: `steady-harbour-${randomBytes(6).toString('hex')}`,
  };
  const adminDb = new pg.Client({ connectionString: PG_URL });
  await adminDb.connect();
  const pgVersion = (await adminDb.query('SHOW server_version')).rows[0].server_version;
  await adminDb.query(`CREATE DATABASE ${dbName}`);
  // Times the WAL flushes of the api's commits (pg_stat_wal); needs a superuser, else 0 ms.
  await adminDb
    .query(`ALTER DATABASE ${dbName} SET track_wal_io_timing = on`)
    .catch((e) => log(`WAL flush times not recorded: ${e.message}`));
  statsDb = adminDb;
  benchDbName = dbName;
  const dbUrl = new URL(PG_URL);
  dbUrl.pathname = `/${dbName}`;
  let bare;
  let api;
  let failed = false;
  const cleanup = async () => {
    await Promise.all([stopProcess(bare), stopProcess(api)]);
    loadgen?.connected && loadgen.disconnect();
    try {
      await adminDb.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } finally {
      await adminDb.end();
    }
  };
  process.once('SIGINT', () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });

  try {
    const [barePort, apiPort] = await Promise.all([freePort(), freePort()]);
    const profDir = join(WORK_DIR, 'chat-prof');
    bare = spawnServer(
      'bare',
      join(HERE, 'bare-server.mjs'),
      { PORT: String(barePort), HOST: '127.0.0.1', NODE_ENV: 'production' },
      [
        ...(flag('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'bare')}`] : []),
        // Node flags to try on the bare server, e.g. BENCH_BARE_NODE_ARGS='--trace-gc'.
        ...(process.env.BENCH_BARE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
    );
    const apiEnv = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL: dbUrl.toString(),
      JWT_SECRET: `chat-bench-${randomBytes(24).toString('hex')}`,
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      READ_RATE_LIMIT_PER_MINUTE: '1000000',
      CHAT_MESSAGES_PER_SECOND: '10000',
      CHAT_BURST: '100000',
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      REDIS_KEY_PREFIX: `bench-chat-${randomBytes(3).toString('hex')}`,
      ...(REDIS_URL ? { REDIS_URL } : {}),
      // Settings to try on the api, e.g. BENCH_API_ENV='{"ENGAGEMENT_ROLLUP_INTERVAL_MS":"60000"}'.
      ...JSON.parse(process.env.BENCH_API_ENV ?? '{}'),
    };
    api = spawnServer('kinship', API_MAIN, apiEnv, [
      ...API_NODE_FLAGS,
      ...(flag('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'kinship')}`] : []),
      // Node flags to try on the api, e.g. BENCH_API_NODE_ARGS='--trace-gc'.
      ...(process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ]);
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await Promise.all([waitHealthy(bare, bareUrl), waitHealthy(api, apiUrl)]);
    log(
      `bare socket.io pid ${bare.pid} on ${bareUrl}; kinship api pid ${api.pid} on ${apiUrl} (database ${dbName}${REDIS_URL ? ', Redis streams adapter' : ''})`,
    );
    startLoadgen();

    const k = await setupKinship(apiUrl, admin);
    const bareUsers = Array.from({ length: CFG.users }, (_, i) => ({
      userId: randomUUID(),
      handle: `bench_${i}`,
    }));
    const targets = {
      bare: {
        name: 'bare',
        proc: bare,
        url: bareUrl,
        groupId: randomUUID(),
        dbName: undefined,
        authFor: (i) => bareUsers[i % CFG.users],
      },
      kinship: {
        name: 'kinship',
        proc: api,
        url: apiUrl,
        groupId: k.groupId,
        dbName,
        authFor: (i) => ({ token: k.members[i % CFG.users].token }),
      },
    };
    const results = {};
    for (const name of ['bare', 'kinship'])
      results[name] = { large: { latency: [] }, small: [], cpu: [], acks: [] };
    const each = async (r, fn, into) => {
      for (const name of orderOf(r)) into(name, await fn(targets[name]));
    };

    // Every room of a scenario (one per server) stays connected across its rounds. The latency
    // phases come before the floods: socket.io's connection-state recovery keeps every broadcast
    // packet for 2 minutes in the api (see README), so a flood just before would leave a large
    // heap behind and its garbage-collection pauses in the next latency figures.
    if (ACKS_ONLY) {
      // --acks-only: the acknowledged msg/s rounds alone, printed, nothing written.
      for (const name of ['bare', 'kinship'])
        await connectRoom('acks', targets[name], CFG.acks.clients, CFG.acks.senders);
      await sleep(1_000);
      for (let r = 0; r < ROUNDS; r++) await each(r, ackFlood, (n, v) => results[n].acks.push(v));
      for (const name of ['bare', 'kinship'])
        log(
          `${name}: ${results[name].acks.map((x) => round(x.ackedPerSecond, 0)).join(', ')} acked msg/s`,
        );
      if (process.env.BENCH_SHOW_API) console.log(api.output);
      await cleanup();
      process.exit(0);
    }
    if (SMALL_ONLY) {
      // --small-only: the 100 x 200 msg/s latency rounds alone, printed, nothing written.
      for (const name of ['bare', 'kinship'])
        await connectRoom('small', targets[name], CFG.small.clients, CFG.small.senders);
      await sleep(2_000);
      for (let r = 0; r < ROUNDS; r++)
        await each(r, smallLatency, (n, v) => results[n].small.push(v));
      for (const name of ['bare', 'kinship']) {
        const rounds = results[name].small;
        log(
          `${name}: p50 ${rounds.map((x) => round(x.fanoutMs?.p50)).join(', ')} ms; ` +
            `p99 ${rounds.map((x) => round(x.fanoutMs?.p99)).join(', ')} ms ` +
            `(median ${round(median(rounds.map((x) => x.fanoutMs?.p99)))}); ack p99 ` +
            `${rounds.map((x) => round(x.ackMs?.p99)).join(', ')} ms; other cores ` +
            `${rounds.map((x) => round(x.cpu.otherCores)).join(', ')}; steal ` +
            `${rounds.map((x) => round(x.cpu.stealCores)).join(', ')}` +
            (name === 'kinship'
              ? `; busiest 250 ms of WAL flushing ${rounds.map((x) => x.postgres?.walSyncMsBusiestSlice).join(', ')} ms`
              : ''),
        );
      }
      // The api's own output (e.g. with BENCH_API_NODE_ARGS='--trace-gc').
      if (process.env.BENCH_SHOW_API) console.log(api.output);
      await cleanup();
      process.exit(0);
    }
    // 1,000 clients: memory per client, then fan-out latency at 20 msg/s.
    for (const name of ['bare', 'kinship'])
      results[name].large.memory = await connectLarge(targets[name]);
    for (let r = 0; r < LARGE_ROUNDS; r++)
      await each(r, largeLatency, (n, v) => results[n].large.latency.push(v));
    for (const name of ['bare', 'kinship']) await closeRoom('large', targets[name]);
    // 100 clients: latency at 200 msg/s, then the same room flooded (CPU per delivery).
    for (const name of ['bare', 'kinship'])
      await connectRoom('small', targets[name], CFG.small.clients, CFG.small.senders);
    await sleep(2_000);
    for (let r = 0; r < ROUNDS; r++)
      await each(r, smallLatency, (n, v) => results[n].small.push(v));
    for (let r = 0; r < ROUNDS; r++) await each(r, cpuFlood, (n, v) => results[n].cpu.push(v));
    for (const name of ['bare', 'kinship']) await closeRoom('small', targets[name]);
    // A 10-member room, every member sending: acknowledged msg/s.
    for (const name of ['bare', 'kinship'])
      await connectRoom('acks', targets[name], CFG.acks.clients, CFG.acks.senders);
    await sleep(1_000);
    for (let r = 0; r < ROUNDS; r++) await each(r, ackFlood, (n, v) => results[n].acks.push(v));
    for (const name of ['bare', 'kinship']) await closeRoom('acks', targets[name]);

    // Memory after everything (after a forced GC): socket.io's connection-state recovery keeps
    // every broadcast packet for maxDisconnectionDuration (2 min in the api), so it grows with
    // the message rate of the floods just before.
    for (const name of ['bare', 'kinship'])
      results[name].memoryAtEnd = await memoryReading(targets[name]);

    // -------------------------------------------------------------------------------------------
    const pick = (name, phase, f) => results[name][phase].map(f).filter((v) => v != null);
    const summary = {};
    for (const name of ['bare', 'kinship']) {
      summary[name] = {
        serverUsPerDelivery: round(median(pick(name, 'cpu', (x) => x.serverUsPerDelivery)), 2),
        totalUsPerDeliveryWithPostgres: round(
          median(pick(name, 'cpu', (x) => x.totalUsPerDelivery)),
          2,
        ),
        p50SmallMs: round(median(pick(name, 'small', (x) => x.fanoutMs?.p50))),
        p99SmallMs: round(median(pick(name, 'small', (x) => x.fanoutMs?.p99))),
        ackP99SmallMs: round(median(pick(name, 'small', (x) => x.ackMs?.p99))),
        p50LargeMs: round(
          median(results[name].large.latency.map((x) => x.fanoutMs?.p50).filter((v) => v != null)),
        ),
        p99LargeMs: round(
          median(results[name].large.latency.map((x) => x.fanoutMs?.p99).filter((v) => v != null)),
        ),
        ackP99LargeMs: round(
          median(results[name].large.latency.map((x) => x.ackMs?.p99).filter((v) => v != null)),
        ),
        kbPerClient: results[name].large.memory.kbPerClient,
        kbPerClientNoGc: results[name].large.memory.kbPerClientNoGc,
        ackedPerSecond: round(median(pick(name, 'acks', (x) => x.ackedPerSecond)), 0),
        ackedPerSecond100: round(median(pick(name, 'cpu', (x) => x.ackedPerSecond)), 0),
        // CPU per delivery at 100 clients x 200 msg/s: a write per message, no batching to share it.
        serverUsPerDeliveryAt200: round(
          median(pick(name, 'small', (x) => x.cpu.serverCpuUs / x.deliveriesInWindow)),
          2,
        ),
        totalUsPerDeliveryAt200WithPostgres: round(
          median(
            pick(
              name,
              'small',
              (x) =>
                (x.cpu.serverCpuUs + x.cpu.pgBackendCpuUs + x.cpu.pgSharedCpuUs) /
                x.deliveriesInWindow,
            ),
          ),
          2,
        ),
        connect1000Ms: results[name].large.memory.connectMs,
        rssAtEndMb: round(results[name].memoryAtEnd.rssKb / 1024, 1),
      };
    }
    const b = summary.bare;
    const kk = summary.kinship;
    const ratio = (x, y) => (x != null && y ? round(x / y, 2) : null);
    const goals = [
      {
        metric: 'server CPU per delivery (api process only; µs)',
        bare: b.serverUsPerDelivery,
        kinship: kk.serverUsPerDelivery,
        ratio: ratio(kk.serverUsPerDelivery, b.serverUsPerDelivery),
        goal: `<= ${GOALS.cpuPerDelivery}x bare`,
      },
      {
        metric: 'p99 fan-out latency, 100 clients x 200 msg/s (ms)',
        bare: b.p99SmallMs,
        kinship: kk.p99SmallMs,
        ratio: ratio(kk.p99SmallMs, b.p99SmallMs),
        goal: `<= ${GOALS.p99Small}x bare`,
      },
      {
        metric: 'p99 fan-out latency, 1,000 clients x 20 msg/s (ms)',
        bare: b.p99LargeMs,
        kinship: kk.p99LargeMs,
        ratio: ratio(kk.p99LargeMs, b.p99LargeMs),
        goal: `<= ${GOALS.p99Large}x bare`,
      },
      {
        metric: 'resident memory per connected client (KB)',
        bare: b.kbPerClient,
        kinship: kk.kbPerClient,
        ratio: ratio(kk.kbPerClient, b.kbPerClient),
        goal: `<= ${GOALS.kbPerClient} KB`,
      },
      {
        metric: 'acknowledged msg/s (10-member room)',
        bare: b.ackedPerSecond,
        kinship: kk.ackedPerSecond,
        ratio: ratio(kk.ackedPerSecond, b.ackedPerSecond),
        goal: `>= ${GOALS.ackedPerSecond}`,
      },
    ];
    const met = [
      goals[0].ratio != null && goals[0].ratio <= GOALS.cpuPerDelivery,
      goals[1].ratio != null && goals[1].ratio <= GOALS.p99Small,
      goals[2].ratio != null && goals[2].ratio <= GOALS.p99Large,
      kk.kbPerClient != null && kk.kbPerClient <= GOALS.kbPerClient,
      kk.ackedPerSecond != null && kk.ackedPerSecond >= GOALS.ackedPerSecond,
    ];
    goals.forEach((g, i) => (g.met = met[i]));
    // How busy the rest of the machine was during the measured windows (other people's work).
    const windows = ['bare', 'kinship'].flatMap((n) => [
      ...results[n].large.latency,
      ...results[n].small,
      ...results[n].cpu,
      ...results[n].acks,
    ]);
    const otherCores = windows.map((w) => w.cpu.otherCores);
    const commits = windows.map((w) => w.cpu.otherDbCommitsPerSecond).filter((v) => v != null);
    const contention = {
      meanOtherCores: round(mean(otherCores), 2),
      maxOtherCores: round(Math.max(...otherCores), 2),
      meanStealCores: round(mean(windows.map((w) => w.cpu.stealCores)), 2),
      maxStealCores: round(Math.max(...windows.map((w) => w.cpu.stealCores)), 2),
      meanOtherDbCommitsPerSecond: round(mean(commits), 0),
      maxOtherDbCommitsPerSecond: round(Math.max(...commits), 0),
      // A disk stall shows here as a slice mostly spent flushing (see ClusterWindow).
      walSyncMsBusiestSlice: {
        large: results.kinship.large.latency.map((w) => w.postgres?.walSyncMsBusiestSlice),
        small: results.kinship.small.map((w) => w.postgres?.walSyncMsBusiestSlice),
      },
    };

    const cpus = os.cpus();
    const report = {
      benchmark: 'chat: bare socket.io vs Kinship chat',
      command: `node bench/chat/run.mjs ${args.join(' ')}`.trim(),
      date: started.toISOString(),
      durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model,
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        kernel: os.release(),
        node: process.version,
        postgres: pgVersion,
        socketIo: JSON.parse(
          readFileSync(join(ROOT, 'node_modules', 'socket.io', 'package.json'), 'utf8'),
        ).version,
        socketIoClient: JSON.parse(
          readFileSync(join(ROOT, 'node_modules', 'socket.io-client', 'package.json'), 'utf8'),
        ).version,
        loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)),
      },
      setup: {
        kinship: `built api, NODE_ENV=production, PostgreSQL database ${dbName} on ${new URL(PG_URL).host} (fresh, dropped after), ${REDIS_URL ? 'Redis streams adapter' : 'no REDIS_URL (in-memory adapter, one process)'}, CHAT_MESSAGES_PER_SECOND=10000, CHAT_BURST=100000, LOG_LEVEL=warn`,
        bare: 'bench/chat/bare-server.mjs: socket.io 4.8.3, websocket only, in-memory adapter, same message shape',
        users: `${CFG.users} Kinship accounts, members of one group; a room of N clients uses sockets of users i mod ${CFG.users} (1,000 clients = 5 sockets per user)`,
        scenarios: CFG,
        apiNodeFlags: API_NODE_FLAGS,
        rounds: ROUNDS,
        largeRounds: LARGE_ROUNDS,
        cpuNote:
          'server CPU = utime+stime of the server process from /proc between the load generator marks; ' +
          'PostgreSQL = backends connected to the bench database + the shared walwriter/bgwriter/checkpointer. ' +
          'The CPU goal compares the api process alone with the bare process; the total with PostgreSQL is reported beside it.',
      },
      contention,
      summary,
      goals,
      results,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${relative(ROOT, OUT)}`);
    console.log(
      '\n| metric | bare socket.io | Kinship | ratio | goal | met |\n|---|---:|---:|---:|---|---|',
    );
    for (const g of goals)
      console.log(
        `| ${g.metric} | ${g.bare} | ${g.kinship} | ${g.ratio}x | ${g.goal} | ${g.met ? 'yes' : 'no'} |`,
      );
    console.log(
      `\nbare/Kinship: CPU per delivery at 100 x 200/s ${b.serverUsPerDeliveryAt200}/${kk.serverUsPerDeliveryAt200} µs ` +
        `(Kinship with PostgreSQL ${kk.totalUsPerDeliveryAt200WithPostgres}); flood with PostgreSQL ${kk.totalUsPerDeliveryWithPostgres} µs; ` +
        `p50 ${b.p50SmallMs}/${kk.p50SmallMs} ms (100), ${b.p50LargeMs}/${kk.p50LargeMs} ms (1,000); ` +
        `acked/s in the 100-member room ${b.ackedPerSecond100}/${kk.ackedPerSecond100}; connect+subscribe 1,000 ${b.connect1000Ms}/${kk.connect1000Ms} ms; ` +
        `RSS at end ${b.rssAtEndMb}/${kk.rssAtEndMb} MB; other processes used ${contention.meanOtherCores} cores on average (max ${contention.maxOtherCores}), the host took (steal) ${contention.meanStealCores} (max ${contention.maxStealCores}); ` +
        `other databases of the cluster committed ${contention.meanOtherDbCommitsPerSecond} transactions/s on average (max ${contention.maxOtherDbCommitsPerSecond}); ` +
        `busiest 250 ms of WAL flushing in Kinship's latency rounds ${contention.walSyncMsBusiestSlice.large.join(', ')} ms (1,000), ${contention.walSyncMsBusiestSlice.small.join(', ')} ms (100)`,
    );
  } catch (error) {
    failed = true;
    console.error(error);
    if (api) console.error(`--- api output (tail) ---\n${api.output.slice(-3000)}`);
  } finally {
    await cleanup().catch((e) => console.error('cleanup:', e));
  }
  process.exit(failed ? 1 : 0);
}

main();
