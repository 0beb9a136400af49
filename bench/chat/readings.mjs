/**
 * What the machine did during a measured window: CPU time of processes from /proc (CpuWindow:
 * the server, the load generator, the bench database's PostgreSQL processes, everything else,
 * the host's steal), resident memory, and the PostgreSQL cluster's commits and WAL flushes
 * (ClusterWindow).
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { round } from './helpers.mjs';

const TICK_US = 1e6 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);

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

export function rssKb(pid) {
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
export class CpuWindow {
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
/** Where ClusterWindow reads the cluster's statistics, and the bench database it leaves out. */
export function readClusterStatsThrough(db, dbName) {
  statsDb = db;
  benchDbName = dbName;
}
export class ClusterWindow {
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
