#!/usr/bin/env node
/**
 * The baseline: `COPY (the export's event SELECT) TO STDOUT (FORMAT csv)` of the same rows into a
 * file, raw (no pseudonyms, no day arithmetic), with the reader's session settings, in a process of
 * its own. Prints one JSON line.
 *   node bench/research-export/copy-once.mjs <sqlFile> <outFile>
 */
import { createRequire } from 'node:module';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { to: copyTo } = require('pg-copy-streams');
const { READ_SESSION } = require('../../dist/libs/engagement/src/engagement-event.reader.js');

const [sqlFile, outFile] = process.argv.slice(2);
const select = readFileSync(sqlFile, 'utf8');
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
// The same session settings as the export's reader, so both run the same plan.
await client.query(READ_SESSION);
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const stream = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv)`));
await pipeline(stream, createWriteStream(outFile));
const ms = performance.now() - started;
await client.end();
console.log(
  JSON.stringify({
    rows: stream.rowCount,
    bytes: statSync(outFile).size,
    ms: Math.round(ms),
    rssBeforeMb: Math.round(rssBeforeMb),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
