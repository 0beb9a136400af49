#!/usr/bin/env node
/**
 * What one PostgreSQL round trip costs on this machine, back to back and at chat's pace.
 *
 *   node bench/chat/pg-round-trip.mjs                 # ~1 min; writes bench/results/pg-round-trip.json
 *   node bench/chat/pg-round-trip.mjs --count 5000    # more samples per case (default 2,000)
 *
 * Kinship stores and commits a message before it acknowledges and broadcasts it, so one round
 * trip to PostgreSQL is on every chat message's path, and not on bare socket.io's. At 200
 * messages/s in one room, one message arrives every 5 ms, and the database backend sleeps between
 * them. This measures what waking it costs: the same statement sent back to back, every 5 ms with
 * the client sleeping in between, and every 5 ms with the client busy (spinning), so that only
 * PostgreSQL's side has gone idle. Statements: `SELECT 1`, and a one-row INSERT … RETURNING
 * committed on its own (as the chat batch is), both prepared. No api, no Kinship code.
 *
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used to
 * create and drop a scratch database.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { percentiles } from './percentiles.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '..', 'results', 'pg-round-trip.json');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const countArg = process.argv.indexOf('--count');
const COUNT = countArg > 0 ? Number(process.argv[countArg + 1]) : 2000;
const GAP_MS = 5;

const STATEMENTS = {
  'SELECT 1': { name: 'rt_select', text: 'SELECT 1', values: () => [] },
  'INSERT + commit': {
    name: 'rt_insert',
    text: 'INSERT INTO rt_messages (body) VALUES ($1) RETURNING id, created_at',
    values: (i) => [`a message of ordinary length, number ${i}`],
  },
};
const PACES = {
  'back to back': async () => {},
  [`every ${GAP_MS} ms, client sleeping`]: () => new Promise((r) => setTimeout(r, GAP_MS)),
  [`every ${GAP_MS} ms, client spinning`]: async () => {
    const until = performance.now() + GAP_MS;
    while (performance.now() < until);
  },
};

async function measure(client, statement, pace) {
  for (let i = 0; i < 100; i++) await client.query({ ...statement, values: statement.values(i) });
  const samples = [];
  for (let i = 0; i < COUNT; i++) {
    await pace();
    const t0 = performance.now();
    await client.query({ name: statement.name, text: statement.text, values: statement.values(i) });
    samples.push(performance.now() - t0);
  }
  return percentiles(samples, samples.length, 3);
}

const dbName = `kinship_bench_rt_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(PG_URL);
url.pathname = `/${dbName}`;
const client = new pg.Client({ connectionString: url.toString() });
const results = [];
try {
  await client.connect();
  await client.query(`CREATE TABLE rt_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query(
    "SELECT version(), current_setting('synchronous_commit') AS sync",
  );
  // Two passes over every case, in turn, so that a change in the machine's load weighs on all.
  for (let pass = 1; pass <= 2; pass++) {
    for (const [statementName, statement] of Object.entries(STATEMENTS)) {
      for (const [paceName, pace] of Object.entries(PACES)) {
        const ms = await measure(client, statement, pace);
        results.push({ pass, statement: statementName, pace: paceName, ms });
        console.log(
          `${statementName.padEnd(16)} ${paceName.padEnd(28)} p50 ${ms.p50} p90 ${ms.p90} ` +
            `p99 ${ms.p99} p99.9 ${ms.p999} max ${ms.max} ms`,
        );
      }
    }
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
        postgres: rows[0].version,
        synchronousCommit: rows[0].sync,
        samplesPerCase: COUNT,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`written ${OUT}`);
} finally {
  await client.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.end();
}
