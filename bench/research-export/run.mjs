#!/usr/bin/env node
/**
 * Research export of 1M engagement events: the export job (the worker's ExportBuilder: cursor,
 * pseudonyms, days, CSV through csv-stringify, to a file) against a raw `COPY (the same SELECT)
 * TO STDOUT` of the same rows to a file. Each measurement runs in a fresh process, alternating
 * (ABBA); rows per second and the exporting process's peak resident memory are recorded.
 * Real PostgreSQL only.
 *
 *   npm run bench:export                                  # builds the apps
 *   BENCH_DATABASE_URL=postgres://… BENCH_ROUNDS=5 npm run bench:export
 *
 * Seeds once, by SQL (generate_series), on a database of its own (kinship_research_bench, created
 * when missing): 2,000 consenting participants in two groups, 1,000,000 of their events in the
 * study's window, and 100,000 events of others that the export must leave out.
 * Writes bench/results/research-export.json. Goal: >= 200,000 rows/s and a peak RSS under 200 MB
 * for the export (medians over the rounds; the highest peak is reported too); exits 1 when missed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const pg = require('pg');
const { EngagementEventReader } = require(
  join(ROOT, 'dist/libs/engagement/src/engagement-event.reader.js'),
);

const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kinship_research_bench';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const NOISE = Math.round(EVENTS / 10);
const PARTICIPANTS = 2_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL = { rowsPerSecond: 200_000, peakRssMb: 200 };
const WORK = join(ROOT, 'bench', '.work', 'research-export');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'research-export.json');
const TITLE = `Export benchmark (${EVENTS} events)`;
const DAY = 86_400_000;
const JWT_SECRET = 'research-export-benchmark-only-secret-0123456789';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, DATABASE_URL, JWT_SECRET, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

const lastJson = (out) => JSON.parse(out.trim().split('\n').pop());

/** The study and its data, made once; answers the study id and the event SELECT's parameters. */
async function seed(db) {
  const found = await db.query(
    'SELECT id, starts_at, ends_at FROM research_studies WHERE title = $1',
    [TITLE],
  );
  if (found.rowCount) return found.rows[0].id;
  console.log(`seeding ${EVENTS.toLocaleString()} events (once)…`);
  const startsAt = new Date(Date.now() - 90 * DAY);
  const endsAt = new Date(Date.now() + DAY);
  await db.query('BEGIN');
  const owner = (
    await db.query(
      `INSERT INTO users (handle, handle_key, role) VALUES ($1, $1, 'researcher') RETURNING id`,
      [`bench_${Date.now().toString(36)}`],
    )
  ).rows[0].id;
  const groups = [];
  for (const name of ['A', 'B', 'noise']) {
    const slug = `bench-export-${name}-${Date.now().toString(36)}`.toLowerCase();
    groups.push(
      (
        await db.query(
          `INSERT INTO groups (name, slug, condition_label, visibility, join_policy, created_by)
           VALUES ($1, $2, 'Type 1 diabetes', 'public', 'open', $3) RETURNING id`,
          [`Bench ${name}`, slug, owner],
        )
      ).rows[0].id,
    );
  }
  // Participants 1..N (half in each study group) and 100 others in the noise group.
  await db.query('CREATE TEMP TABLE bench_people (n integer PRIMARY KEY, id uuid, group_id uuid)');
  await db.query(
    `INSERT INTO bench_people
       SELECT n, gen_random_uuid(),
              CASE WHEN n > $1 THEN $4::uuid WHEN n % 2 = 0 THEN $2::uuid ELSE $3::uuid END
         FROM generate_series(1, $1 + 100) n`,
    [PARTICIPANTS, groups[0], groups[1], groups[2]],
  );
  await db.query(
    `INSERT INTO users (id, handle, handle_key) SELECT id, 'b' || n || '_' || substr(md5(id::text), 1, 8), 'b' || n || '_' || substr(md5(id::text), 1, 8) FROM bench_people`,
  );
  await db.query(
    `INSERT INTO memberships (group_id, user_id, status, role, joined_at)
       SELECT group_id, id, 'active', 'member', $1 FROM bench_people`,
    [new Date(startsAt.getTime() + 3_600_000)],
  );
  const study = (
    await db.query(
      `INSERT INTO research_studies (owner_id, title, starts_at, ends_at, k_anonymity, consent_text,
         consent_version, status, pseudonym_secret)
       VALUES ($1, $2, $3, $4, 5, 'Benchmark', '1', 'open',
         decode(md5(random()::text) || md5(random()::text), 'hex')) RETURNING id`,
      [owner, TITLE, startsAt, endsAt],
    )
  ).rows[0].id;
  await db.query(
    `INSERT INTO research_study_groups (study_id, group_id, code, condition, position)
     VALUES ($1, $2, 'G01', 'Type 1 diabetes', 1), ($1, $3, 'G02', 'Type 1 diabetes', 2)`,
    [study, groups[0], groups[1]],
  );
  await db.query(
    `INSERT INTO research_participants (study_id, user_id, granted, consent_version, granted_at)
       SELECT $1, id, true, '1', $2 FROM bench_people WHERE n <= $3`,
    [study, new Date(startsAt.getTime() + DAY), PARTICIPANTS],
  );
  // Events spread over 80 days of the window: mostly reads, some contributions, objects from a
  // pool of 20,000 threads and posts.
  const events = (count, people, offset) =>
    db.query(
      `INSERT INTO engagement_events (occurred_at, user_id, group_id, kind, object_id)
       SELECT $1::timestamptz + (g % 6912000) * interval '1 second', p.id, p.group_id,
              (ARRAY['thread_read','thread_read','thread_read','chat_read','post_created',
                     'reaction_given','thread_created','chat_message_sent'])[1 + g % 8],
              md5('object' || (g % 20000))::uuid
         FROM generate_series(1, $2) g
         JOIN bench_people p ON p.n = $3 + 1 + g % $4`,
      [new Date(startsAt.getTime() + DAY), count, offset, people],
    );
  await events(EVENTS, PARTICIPANTS, 0);
  await events(NOISE, 100, PARTICIPANTS);
  await db.query('COMMIT');
  await db.query('ANALYZE engagement_events');
  return study;
}

/** The exact SELECT the export's reader runs, with its parameters written in, for COPY. */
async function copySql(db, studyId) {
  const { rows: study } = await db.query(
    'SELECT starts_at, ends_at FROM research_studies WHERE id = $1',
    [studyId],
  );
  const { rows: groups } = await db.query(
    'SELECT group_id FROM research_study_groups WHERE study_id = $1',
    [studyId],
  );
  const { rows: people } = await db.query(
    'SELECT user_id FROM research_participants WHERE study_id = $1 AND granted',
    [studyId],
  );
  const uuids = (ids) => `ARRAY[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`;
  const values = [
    uuids(people.map((p) => p.user_id)),
    `'${study[0].starts_at.toISOString()}'::timestamptz`,
    `'${study[0].ends_at.toISOString()}'::timestamptz`,
    uuids(groups.map((g) => g.group_id)),
    'true',
  ];
  return EngagementEventReader.sql().replace(/\$(\d)/g, (_, n) => values[Number(n) - 1]);
}

async function main() {
  await ensureDatabase();
  await run([join(ROOT, 'dist/apps/cli/src/main.js'), 'migrate']);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const studyId = await seed(db);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'exports'), { recursive: true });
  const sqlFile = join(WORK, 'select.sql');
  writeFileSync(sqlFile, await copySql(db, studyId));

  const load0 = os.loadavg();
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['export', 'copy'] : ['copy', 'export'];
    const round = {};
    for (const what of order) {
      if (what === 'export') {
        const { rows } = await db.query(
          `INSERT INTO research_exports (study_id, requested_by, format) SELECT id, owner_id, 'csv'
             FROM research_studies WHERE id = $1 RETURNING id`,
          [studyId],
        );
        const out = await run([join(ROOT, 'bench/research-export/export-once.mjs'), rows[0].id], {
          EXPORT_DIR: join(WORK, 'exports'),
        });
        round.export = lastJson(out);
        if (round.export.status !== 'ready')
          throw new Error(`export failed: ${round.export.error}`);
        rmSync(join(WORK, 'exports', rows[0].id), { recursive: true, force: true });
      } else {
        round.copy = lastJson(
          await run([
            join(ROOT, 'bench/research-export/copy-once.mjs'),
            sqlFile,
            join(WORK, 'copy.csv'),
          ]),
        );
        rmSync(join(WORK, 'copy.csv'), { force: true });
      }
    }
    const events = round.export.files.find((f) => f.name === 'events.csv');
    if (events.rows !== round.copy.rows) {
      throw new Error(`row counts differ: export ${events.rows}, COPY ${round.copy.rows}`);
    }
    round.events = events;
    console.log(
      `round ${r + 1}: export ${round.export.ms} ms (peak RSS ${round.export.peakRssMb} MB), COPY ${round.copy.ms} ms`,
    );
    rounds.push(round);
  }
  await db.end();

  const rows = rounds[0].events.rows;
  const exportMs = median(rounds.map((r) => r.export.ms));
  const copyMs = median(rounds.map((r) => r.copy.ms));
  const summary = {
    rows,
    export: {
      medianMs: exportMs,
      rowsPerSecond: Math.round((rows / exportMs) * 1000),
      // Each run's peak; the median run is the goal's measure, the highest is shown beside it.
      peakRssMb: median(rounds.map((r) => r.export.peakRssMb)),
      peakRssMaxMb: Math.max(...rounds.map((r) => r.export.peakRssMb)),
      peakHeapUsedMaxMb: Math.max(...rounds.map((r) => r.export.peakHeapUsedMb)),
      rssBeforeBuildMb: median(rounds.map((r) => r.export.rssBeforeMb)),
      // CPU time of the exporting process: steadier than wall time on a shared machine.
      cpuMedianMs: median(rounds.map((r) => r.export.cpuMs)),
      rowsPerCpuSecond: Math.round((rows / median(rounds.map((r) => r.export.cpuMs))) * 1000),
      eventsFileBytes: rounds[0].events.bytes,
    },
    copy: {
      medianMs: copyMs,
      rowsPerSecond: Math.round((rows / copyMs) * 1000),
      peakRssMb: Math.max(...rounds.map((r) => r.copy.peakRssMb)),
      fileBytes: rounds[0].copy.bytes,
    },
  };
  summary.exportToCopy = Math.round((exportMs / copyMs) * 100) / 100;
  summary.goalMet =
    summary.export.rowsPerSecond >= GOAL.rowsPerSecond && summary.export.peakRssMb < GOAL.peakRssMb;
  const result = {
    benchmark: 'research-export',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    loadAverage: {
      before: load0.map((l) => Math.round(l * 100) / 100),
      after: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    goal: GOAL,
    summary,
    rounds,
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
  console.log(`written to ${RESULTS_FILE}`);
  if (!summary.goalMet) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
