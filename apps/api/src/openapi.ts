import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApiDocument, createApiApp } from './api.app';

/** Settings of this machine that must not shape (or block) the generated document. */
const IGNORED_ENV = [
  'DATABASE_URL',
  'REDIS_URL',
  'BOOTSTRAP_ADMIN_EMAIL',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'CORS_ORIGINS',
];

/**
 * Prints the OpenAPI document as the running api serves it at /api/docs-json, for the committed
 * openapi.json (`npm run openapi`; an e2e test fails when the two drift). The app is built on a
 * throw-away embedded database and never listens; logs are silenced because stdout carries the
 * document.
 */
export async function printOpenApiDocument(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kinship-openapi-'));
  for (const key of IGNORED_ENV) delete process.env[key];
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL = 'silent';
  try {
    const app = await createApiApp();
    try {
      process.stdout.write(`${JSON.stringify(sortKeys(buildOpenApiDocument(app)), null, 2)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Object keys sorted, so the file's diff shows real changes only. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
