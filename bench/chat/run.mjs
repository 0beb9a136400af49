#!/usr/bin/env node
/**
 * Chat benchmark: bare socket.io against Kinship chat, in one run, on this machine.
 *
 *   npm run bench:chat                      # builds the api, then runs everything (~10-11 min)
 *   node bench/chat/run.mjs --rounds 3      # fewer repetitions (default 5; 1,000 clients: at most 2)
 *   node bench/chat/run.mjs --profile       # also writes a --cpu-prof of both servers (bench/.work/chat-prof)
 *   node bench/chat/run.mjs --quick         # a ~3 min smoke test of the script (figures meaningless)
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
 *
 * This file is the run itself; beside it: config.mjs (options, scenarios, goals), processes.mjs
 * (spawning the servers, their inspector), readings.mjs (CPU, memory, WAL flushes during a
 * window), loadgen-control.mjs (driving loadgen.mjs, measured phases), kinship-setup.mjs (users and
 * group over HTTP), scenarios.mjs (the rooms and rounds), summary.mjs (medians, goals, the report).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import {
  ACKS_ONLY,
  API_MAIN,
  API_NODE_FLAGS,
  CFG,
  flag,
  HERE,
  LARGE_ROUNDS,
  PG_URL,
  REDIS_URL,
  ROOT,
  ROUNDS,
  SMALL_ONLY,
  WORK_DIR,
} from './config.mjs';
import { log, round, sleep } from './helpers.mjs';
import { setupKinship } from './kinship-setup.mjs';
import { disconnectLoadgen, startLoadgen } from './loadgen-control.mjs';
import { children, freePort, spawnServer, stopProcess, waitHealthy } from './processes.mjs';
import { readClusterStatsThrough } from './readings.mjs';
import {
  ackFlood,
  closeRoom,
  connectLarge,
  connectRoom,
  cpuFlood,
  largeLatency,
  memoryReading,
  orderOf,
  smallLatency,
} from './scenarios.mjs';
import { median, printSummary, summarize, writeReport } from './summary.mjs';

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
  readClusterStatsThrough(adminDb, dbName);
  const dbUrl = new URL(PG_URL);
  dbUrl.pathname = `/${dbName}`;
  let bare;
  let api;
  let failed = false;
  const cleanup = async () => {
    await Promise.all([stopProcess(bare), stopProcess(api)]);
    disconnectLoadgen();
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

    const { summary, goals, contention } = summarize(results);
    writeReport({ started, pgVersion, dbName, results, summary, goals, contention });
    printSummary({ summary, goals, contention });
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
