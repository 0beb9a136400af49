import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_JWT_SECRET, type TestApp } from './test-app';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Hand-made JWTs for the forged/expired/wrong-audience tests (no library that might "help"). */
export function signJwt(
  payload: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const alg = header.alg;
  if (alg === 'none') return `${unsigned}.`;
  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256';
  return `${unsigned}.${createHmac(hash, secret).update(unsigned).digest('base64url')}`;
}

/** The secret the app signs with: TEST_JWT_SECRET on Postgres, the generated one embedded. */
export function appJwtSecret(t: TestApp): string {
  if (t.env.JWT_SECRET) return t.env.JWT_SECRET;
  if (!t.dataDir) return TEST_JWT_SECRET;
  return readFileSync(join(t.dataDir, 'secrets', 'jwt-secret'), 'utf8').trim();
}

export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
