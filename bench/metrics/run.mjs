#!/usr/bin/env node
/**
 * Engagement metrics at scale: EngagementMetrics (roll-ups + the log above the watermark) against
 * a raw GROUP BY over the event table, on a synthetic community of 100,000 members and about ten
 * million events in real PostgreSQL.
 *
 *   npm run bench:metrics                   # builds the cli; seeds once (~5-8 min), then ~1 min
 *   npm run bench:metrics -- --runs 11      # measured runs per query (default 7)
 *   npm run bench:metrics -- --reseed       # drop the database and generate the community again
 *   BENCH_DATABASE_URL=postgres://… npm run bench:metrics
 *
 * Seeds with `cli seed:synthetic --members 100000 --days 190 --groups 10 --seed 1` into a database
 * of its own (kinship_metrics_bench, created when missing), rebuilds the roll-ups with
 * `cli engagement:rollup --rebuild` (one pass over the whole log, then VACUUM FULL),
 * checks the answers against the generator's ground truth, then times each query (one warm-up,
 * then the median of the runs). Writes bench/results/metrics.json; exits 1 when the study query's
 * median misses the goal (<= 500 ms) or an answer differs from the ground truth.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_MAIN = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const WORK = join(ROOT, 'bench', '.work');
const TRUTH_FILE = join(WORK, 'metrics-truth.json');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'metrics.json');
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kinship_metrics_bench';
const JWT_SECRET = 'metrics-benchmark-only-secret-0123456789abcdef';
const COMMUNITY = { members: 100_000, days: 190, groups: 10, seed: 1 };
const GOAL_MS = 500;
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 7);
const RESEED = process.argv.includes('--reseed');
const require = createRequire(import.meta.url);
const env = { ...process.env, DATABASE_URL, JWT_SECRET, LOG_LEVEL: 'warn' };

function cli(args) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI_MAIN, ...args], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cli ${args[0]} failed:\n${run.stdout}${run.stderr}`);
  return { ms: Date.now() - started, output: run.stdout };
}

async function admin(work) {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/** Seeds (when the community is missing) and rolls up; returns what it did and how long. */
async function prepare() {
  const { SyntheticIds } = require(join(ROOT, 'dist/apps/cli/src/synthetic/synthetic-ids.js'));
  const firstUser = new SyntheticIds(COMMUNITY.seed).user(0);
  await admin(async (client, name) => {
    if (RESEED) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  });
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const steps = {};
  try {
    const seeded = await db
      .query('SELECT 1 FROM users WHERE id = $1', [firstUser])
      .then((r) => r.rowCount > 0)
      .catch(() => false);
    if (!seeded || !existsSync(TRUTH_FILE)) {
      if (seeded) throw new Error(`${TRUTH_FILE} is missing: run again with --reseed`);
      mkdirSync(WORK, { recursive: true });
      const opts = Object.entries(COMMUNITY).flatMap(([k, v]) => [`--${k}`, String(v)]);
      console.log('seeding the synthetic community (several minutes)…');
      steps.seedMs = cli(['seed:synthetic', ...opts, '--out', TRUTH_FILE]).ms;
    }
    // The whole log in one pass, then the tables compacted: what `--rebuild` leaves.
    console.log('rolling up the whole log…');
    steps.rollupMs = cli(['engagement:rollup', '--rebuild', '--batch', '20000000']).ms;
    const vacuum = Date.now();
    await db.query('VACUUM ANALYZE engagement_events');
    steps.vacuumMs = Date.now() - vacuum;
    const sizes = await db.query(
      `SELECT (SELECT count(*) FROM engagement_events)::int AS events,
              (SELECT count(*) FROM engagement_members)::int AS member_rows,
              pg_size_pretty(pg_total_relation_size('engagement_events')) AS events_size,
              pg_size_pretty(pg_total_relation_size('engagement_members')) AS members_size,
              pg_size_pretty(pg_total_relation_size('engagement_member_days')) AS days_size,
              version() AS postgres`,
    );
    return { steps, database: sizes.rows[0] };
  } finally {
    await db.end();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(runs, work) {
  await work(); // warm-up: plans, caches
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    ms.push(Math.round((performance.now() - started) * 10) / 10);
  }
  return { medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), runsMs: ms };
}

/** Equal to the ground truth, numbers to 12 significant digits. */
function sameAsTruth(got, truth) {
  const round = (v) =>
    JSON.parse(
      JSON.stringify(v, (_k, x) => (typeof x === 'number' ? Number(x.toPrecision(12)) : x)),
    );
  return JSON.stringify(round(got)) === JSON.stringify(round(truth));
}

async function main() {
  const started = new Date();
  const load = [os.loadavg()];
  const prepared = await prepare();
  const truth = JSON.parse(readFileSync(TRUTH_FILE, 'utf8'));
  const [all, consented] = truth.variants;
  const groups = all.query.groupIds;

  Object.assign(process.env, env);
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { CliModule } = require(join(ROOT, 'dist/apps/cli/src/cli.module.js'));
  const engagement = require(join(ROOT, 'dist/libs/engagement/src/index.js'));
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  const metrics = app.get(engagement.EngagementMetrics);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const q = (v) => ({
    groupIds: v.query.groupIds,
    from: new Date(v.query.from),
    to: new Date(v.query.to),
    posterMinContributions: v.query.posterMinContributions,
    participants: v.query.participants,
  });
  // A study: three groups, a 12-week window ending where the ground truth's does (not on a
  // midnight), the consented two thirds of the users as participants.
  const to = new Date(all.query.to);
  const study = {
    groupIds: groups.slice(0, 3),
    from: new Date(to.getTime() - 84 * 86_400_000 + 5 * 3_600_000),
    to,
    posterMinContributions: 1,
    participants: consented.query.participants,
  };
  const rawGroupBy = (query) => () =>
    db.query(
      `SELECT group_id, user_id, kind, count(*) FROM engagement_events
        WHERE group_id = ANY($1) AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY group_id, user_id, kind`,
      [query.groupIds, query.from, query.to],
    );

  const checks = {
    community: sameAsTruth(await metrics.groupMetrics(q(all)), all.groups),
    communityConsented: sameAsTruth(await metrics.groupMetrics(q(consented)), consented.groups),
  };
  const classified = (gm) => gm.reduce((n, g) => n + g.members, 0);
  const queries = {
    study: {
      what: '3 of 10 groups, 12 weeks (edges mid-day), consented two thirds as participants',
      members: classified(await metrics.groupMetrics(study)),
      metrics: await time(RUNS, () => metrics.groupMetrics(study)),
      rawGroupBy: await time(RUNS, rawGroupBy(study)),
    },
    community: {
      what: 'all 10 groups, the ground-truth window (130 days, edges mid-day), every member',
      members: classified(all.groups),
      metrics: await time(RUNS, () => metrics.groupMetrics(q(all))),
      rawGroupBy: await time(RUNS, rawGroupBy(q(all))),
      memberSummaries: await time(Math.min(RUNS, 3), () => metrics.memberSummaries(q(all))),
    },
  };
  // A roll-up pass of fresh activity: 20,000 events written just now in another group.
  const fresh = '00000000-0000-4000-8000-00000000be0c';
  await db.query(
    `INSERT INTO engagement_events (user_id, group_id, kind, object_id, context_id)
     SELECT gen_random_uuid(), $1, k, $1, CASE WHEN k = 'chat_message_sent' THEN $1::uuid END
       FROM generate_series(1, 20000) i,
            LATERAL (SELECT (ARRAY['chat_read', 'chat_message_sent'])[1 + i % 2] AS k) x`,
    [fresh],
  );
  const rollup = app.get(engagement.EngagementRollup);
  const passStarted = performance.now();
  const pass = await rollup.catchUp({ batch: 20_000 });
  const rollupPass = { events: pass, ms: Math.round(performance.now() - passStarted) };
  await db.query('DELETE FROM engagement_events WHERE group_id = $1', [fresh]);
  await db.query('DELETE FROM engagement_member_days WHERE group_id = $1', [fresh]);
  await db.query('DELETE FROM engagement_members WHERE group_id = $1', [fresh]);
  await db.end();
  await app.close();
  load.push(os.loadavg());

  const goalMet = queries.study.metrics.medianMs <= GOAL_MS;
  const exact = Object.values(checks).every(Boolean);
  const result = {
    startedAt: started.toISOString(),
    command: 'npm run bench:metrics',
    community: { ...COMMUNITY, ...truth.community, groups: groups.length },
    database: prepared.database,
    preparation: prepared.steps,
    exactAgainstGroundTruth: checks,
    queries,
    rollupPass,
    goal: { studyMedianMs: GOAL_MS, met: goalMet },
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageBefore: load[0].map((x) => Math.round(x * 100) / 100),
      loadAverageAfter: load[1].map((x) => Math.round(x * 100) / 100),
    },
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(result, null, 2) + '\n');
  const row = (name, r) =>
    `${name.padEnd(10)} ${String(r.members).padStart(7)} members  metrics ${r.metrics.medianMs} ms` +
    `  raw GROUP BY ${r.rawGroupBy.medianMs} ms`;
  console.log(row('study', queries.study));
  console.log(row('community', queries.community));
  console.log(
    `community member summaries ${queries.community.memberSummaries.medianMs} ms; roll-up of ` +
      `20,000 new events ${rollupPass.ms} ms; exact: ${JSON.stringify(checks)}`,
  );
  console.log(`results in ${RESULTS_FILE}`);
  if (!goalMet || !exact) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
