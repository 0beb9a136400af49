// Staff act only after a two-factor sign-in (README, "Privacy and security"): the benchmarks'
// admin and moderator sign in as production requires, with codes computed like an authenticator.
import { Secret, TOTP } from 'otpauth';

const code = (secret, step) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 });

/**
 * Signs a fresh staff account in: password, two-factor enrolment, then a sign-in with a code.
 * `call(method, path, body, token)` answers the parsed body of a 2xx and throws otherwise.
 */
export async function staffLogin(call, credentials) {
  const first = await call('POST', '/auth/login', credentials);
  if (first.mfaRequired) {
    throw new Error(`${credentials.email} has two-factor sign-in on already: use a fresh account`);
  }
  const setup = await call('POST', '/auth/2fa/setup', undefined, first.accessToken);
  const step = Math.floor(Date.now() / 30_000);
  await call('POST', '/auth/2fa/enable', { code: code(setup.secret, step) }, first.accessToken);
  const challenge = await call('POST', '/auth/login', credentials);
  // The enabling code's step is used up; the next step's code is in the server's window.
  return call('POST', '/auth/2fa/verify', {
    mfaToken: challenge.mfaToken,
    code: code(setup.secret, step + 1),
  });
}
