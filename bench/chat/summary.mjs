/**
 * From the rounds' results to what the run reports: the medians per server, the goals (met or
 * not), how busy the rest of the machine was, the JSON report written to OUT, and the printed
 * table and summary line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  API_NODE_FLAGS,
  args,
  CFG,
  GOALS,
  LARGE_ROUNDS,
  OUT,
  PG_URL,
  REDIS_URL,
  ROOT,
  ROUNDS,
} from './config.mjs';
import { log, round } from './helpers.mjs';

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
export const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The medians over rounds per server, the goals, and the contention during the windows. */
export function summarize(results) {
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
    // A disk stall shows here as a slice mostly spent flushing (ClusterWindow, readings.mjs).
    walSyncMsBusiestSlice: {
      large: results.kinship.large.latency.map((w) => w.postgres?.walSyncMsBusiestSlice),
      small: results.kinship.small.map((w) => w.postgres?.walSyncMsBusiestSlice),
    },
  };
  return { summary, goals, contention };
}

/** Writes the JSON report: the machine, the setup, the summary, the goals and every round. */
export function writeReport({ started, pgVersion, dbName, results, summary, goals, contention }) {
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
}

/** Prints the goals as a markdown table, then the other figures on one line. */
export function printSummary({ summary, goals, contention }) {
  const b = summary.bare;
  const kk = summary.kinship;
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
}
