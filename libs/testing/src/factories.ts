import { randomBytes } from 'node:crypto';
import type { HttpAnswer, TestApp } from './test-app';
import { completeTwoFactor, enableTwoFactor, STAFF_ROLES } from './two-factor';

export interface TestUser {
  id: string;
  email: string;
  handle: string;
  password: string;
  role: string;
  accessToken: string;
  refreshToken: string;
}

export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** Registration input that passes every rule, unique across suites sharing one database. */
export function newUserInput(
  overrides: Partial<{ email: string; handle: string; password: string }> = {},
) {
  const suffix = uniqueSuffix();
  return {
    email: `member-${suffix}@example.org`,
    handle: `m_${suffix}`,
    password: `calm-river-${suffix}`,
    ...overrides,
  };
}

export async function registerUser(
  t: TestApp,
  overrides: Partial<{ email: string; handle: string; password: string }> = {},
): Promise<TestUser> {
  const input = newUserInput(overrides);
  const res = await t.post('/auth/register', input);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    ...input,
    id: res.body.user.id,
    role: res.body.user.role,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
  };
}

/**
 * Signs in as the product's clients do. Staff act only after a two-factor sign-in, so for a
 * staff account the helper turns two-factor sign-in on (first time) and answers the code step
 * with its authenticator: callers get a token their staff role works with.
 */
export async function login(t: TestApp, email: string, password: string): Promise<TestUser> {
  let res: HttpAnswer = await t.post('/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  if (res.body.mfaRequired) {
    res = await completeTwoFactor(t, email, res.body.mfaToken);
    if (res.status !== 200) throw new Error(`2fa verify failed: ${res.status} ${res.text}`);
  } else if (STAFF_ROLES.includes(res.body.user.role)) {
    await enableTwoFactor(t, { email, accessToken: res.body.accessToken });
    return login(t, email, password);
  }
  return {
    email,
    password,
    id: res.body.user.id,
    handle: res.body.user.handle,
    role: res.body.user.role,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
  };
}

/**
 * Admin credentials for one test app: pass `adminEnv(admin)` to createTestApp so the bootstrap
 * creates the admin, then `login(t, admin.email, admin.password)`.
 */
export function newAdminCredentials() {
  const suffix = uniqueSuffix();
  return { email: `admin-${suffix}@example.org`, password: `steady-harbour-${suffix}` };
}

export function adminEnv(admin: { email: string; password: string }): Record<string, string> {
  return { BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password };
}

/**
 * A user with a platform role, made by an admin and signed in again so the token carries it
 * (staff with two-factor sign-in, see `login`).
 */
export async function userWithRole(
  t: TestApp,
  adminToken: string,
  role: string,
): Promise<TestUser> {
  const user = await registerUser(t);
  const res = await t.patch(`/admin/users/${user.id}`, { role }, { token: adminToken });
  if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${res.text}`);
  return login(t, user.email, user.password);
}
