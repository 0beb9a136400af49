import { Secret, TOTP } from 'otpauth';
import type { HttpAnswer, TestApp } from './test-app';

/** Platform roles that act only after a two-factor sign-in. */
export const STAFF_ROLES = ['moderator', 'researcher', 'admin'];

const PERIOD_MS = 30_000;

interface Enrolment {
  secret: string;
  recoveryCodes: string[];
  /** Time steps whose code this process already sent: the server takes each one once. */
  usedSteps: Set<number>;
}

/** Authenticators the helpers know, by lower-cased email (one map per test file's process). */
const enrolments = new Map<string, Enrolment>();

export const totpStep = (at = Date.now()) => Math.floor(at / PERIOD_MS);

/** The code an authenticator app shows for `secret` at a time step (now by default). */
export function totpCode(secret: string, step = totpStep()): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: step * PERIOD_MS,
  });
}

/**
 * Tells the helpers about an authenticator a test enrolled itself, so that `login` can complete
 * that account's sign-ins. `usedSteps` are steps whose codes the test already sent.
 */
export function rememberTwoFactor(
  email: string,
  secret: string,
  recoveryCodes: string[] = [],
  usedSteps: number[] = [],
): void {
  enrolments.set(email.toLowerCase(), {
    secret,
    recoveryCodes: [...recoveryCodes],
    usedSteps: new Set(usedSteps),
  });
}

export function forgetTwoFactor(email: string): void {
  enrolments.delete(email.toLowerCase());
}

/**
 * A step of the server's window (now-1 … now+1) whose code was not sent yet: now, then the next
 * step, then the previous one while it stays in the window long enough for the request.
 */
function freshStep(e: Enrolment): number | undefined {
  const now = Date.now();
  const step = totpStep(now);
  const msLeft = (step + 1) * PERIOD_MS - now;
  const candidates = msLeft > 5_000 ? [step, step + 1, step - 1] : [step + 1, step];
  return candidates.find((s) => !e.usedSteps.has(s));
}

/**
 * A code for an account the helpers enrolled, of a step not used yet (e.g. to confirm an
 * erasure or turning two-factor off as staff).
 */
export async function twoFactorCode(email: string): Promise<string> {
  const e = enrolments.get(email.toLowerCase());
  if (!e) throw new Error(`the test helpers do not know ${email}'s two-factor secret`);
  // Each step's code is accepted once: when the window's steps are spent, wait for the next one.
  for (;;) {
    const step = freshStep(e);
    if (step !== undefined) {
      e.usedSteps.add(step);
      return totpCode(e.secret, step);
    }
    await new Promise((r) => setTimeout(r, PERIOD_MS - (Date.now() % PERIOD_MS) + 50));
  }
}

/** Turns two-factor sign-in on for a signed-in account; the helpers remember the secret. */
export async function enableTwoFactor(
  t: TestApp,
  user: { email: string; accessToken: string },
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await t.post('/auth/2fa/setup', undefined, { token: user.accessToken });
  if (setup.status !== 200) throw new Error(`2fa setup failed: ${setup.status} ${setup.text}`);
  const secret: string = setup.body.secret;
  const step = totpStep();
  const enable = await t.post(
    '/auth/2fa/enable',
    { code: totpCode(secret, step) },
    { token: user.accessToken },
  );
  if (enable.status !== 200) throw new Error(`2fa enable failed: ${enable.status} ${enable.text}`);
  rememberTwoFactor(user.email, secret, enable.body.recoveryCodes, [step]);
  return { secret, recoveryCodes: enable.body.recoveryCodes };
}

/**
 * The second step of a sign-in, with a code not used before: a fresh step's code, else a
 * recovery code, else (all used up) the next step's code once it comes.
 */
export async function completeTwoFactor(
  t: TestApp,
  email: string,
  mfaToken: string,
): Promise<HttpAnswer> {
  const e = enrolments.get(email.toLowerCase());
  if (!e) {
    throw new Error(
      `${email} has two-factor sign-in on but the test helpers do not know its secret: call rememberTwoFactor()`,
    );
  }
  for (;;) {
    const step = freshStep(e);
    if (step !== undefined) {
      e.usedSteps.add(step);
      return t.post('/auth/2fa/verify', { mfaToken, code: totpCode(e.secret, step) });
    }
    const recoveryCode = e.recoveryCodes.shift();
    if (recoveryCode) return t.post('/auth/2fa/verify', { mfaToken, recoveryCode });
    await new Promise((r) => setTimeout(r, PERIOD_MS - (Date.now() % PERIOD_MS) + 50));
  }
}
