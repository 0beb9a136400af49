#!/usr/bin/env node
/**
 * One measured export build, in a process of its own: the worker's module (as `npm run
 * start:worker` runs it, without Redis so it consumes nothing) builds the export given on the
 * command line with the real ExportBuilder. Prints one JSON line: wall time of the build, rows,
 * bytes, and the process's resident memory before the build and at its peak.
 *   node bench/research-export/export-once.mjs <exportId>
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { NestFactory } = require('@nestjs/core');
const { WorkerModule } = require(join(ROOT, 'dist/apps/worker/src/worker.module.js'));
const { ExportBuilder } = require(join(ROOT, 'dist/libs/research/src/export/export-builder.js'));
const pg = require('pg');

const exportId = process.argv[2];
const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
const builder = app.get(ExportBuilder, { strict: false });
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
// Where the memory is at its highest: JS heap, or buffers outside it.
const peak = { heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
}, 20);
const started = performance.now();
const cpu0 = process.cpuUsage();
await builder.build(exportId);
const ms = performance.now() - started;
clearInterval(sampler);
const cpu = process.cpuUsage(cpu0);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
const { rows } = await db.query('SELECT status, files, error FROM research_exports WHERE id = $1', [
  exportId,
]);
await db.end();
await app.close();
console.log(
  JSON.stringify({
    status: rows[0].status,
    error: rows[0].error,
    files: rows[0].files,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssBeforeMb: Math.round(rssBeforeMb),
    peakRssMb: Math.round(peakRssMb),
    peakHeapUsedMb: Math.round(peak.heapUsed / 2 ** 20),
    peakExternalMb: Math.round(peak.external / 2 ** 20),
  }),
);
