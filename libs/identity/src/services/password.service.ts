import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { CommonException } from '@kinship/common';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** ~49k most common passwords (zxcvbn's list); shorter ones already fail the length rule. */
const COMMON = new Set(
  (dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN),
);

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordService {
  /** Verified against when the email is unknown, so both cases take the same time. */
  private readonly dummyHash = hash('kinship-timing-equaliser', ARGON2);

  /** Problems with a new password, as field errors (empty when acceptable). */
  problems(password: string, context: { email?: string; handle?: string } = {}): string[] {
    const out: string[] = [];
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      out.push(`must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
    }
    const lower = password.toLowerCase();
    if (COMMON.has(lower)) out.push('is one of the most common passwords; choose another');
    if (
      (context.email && lower === context.email.toLowerCase()) ||
      (context.handle && lower === context.handle.toLowerCase())
    ) {
      out.push('must not be your email or handle');
    }
    return out;
  }

  assertAcceptable(password: string, context: { email?: string; handle?: string } = {}): void {
    const problems = this.problems(password, context);
    if (problems.length) {
      throw CommonException.validation(problems.map((message) => ({ field: 'password', message })));
    }
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (!passwordHash) {
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }
}
