import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { TwoFactorRepository } from '../repositories/two-factor.repository';
import {
  currentStep,
  hashRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  SecretCipher,
  TOTP_WINDOW,
  totpUri,
} from '../two-factor/totp';

/** A second factor as a request carries it: a code from the app, or a recovery code. */
export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

/** How long the second step of a sign-in may take. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;

/**
 * Authenticator (TOTP) enrolment, recovery codes, and the check of a second factor. Every
 * accepted code's time step is recorded, so a code works once; recovery codes work once too.
 */
@Injectable()
export class TwoFactorService {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: TwoFactorRepository,
    private readonly clock: Clock,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {
    this.cipher = new SecretCipher(config.twoFactorEncryptionKey);
  }

  isEnabled(userId: string, manager?: EntityManager): Promise<boolean> {
    return this.repo.isEnabled(userId, manager);
  }

  async status(userId: string): Promise<{ enabledAt: Date | null; recoveryCodesLeft: number }> {
    const row = await this.repo.find(userId);
    const enabledAt = row?.enabledAt ?? null;
    return {
      enabledAt,
      recoveryCodesLeft: enabledAt ? await this.repo.remainingRecoveryCodes(userId) : 0,
    };
  }

  /** A new secret for the member's authenticator app; it counts once confirmed by `enable`. */
  async setup(user: { id: string; handle: string }): Promise<{ secret: string; uri: string }> {
    if (await this.repo.isEnabled(user.id)) {
      throw new IdentityException(
        IdentityErrorCode.TwoFactorAlreadyEnabled,
        'Turn two-factor sign-in off first to move it to another authenticator.',
      );
    }
    const secret = newTotpSecret();
    await this.repo.savePending(user.id, this.cipher.seal(secret));
    // Labelled with the pseudonymous handle, never the email: authenticator apps sync to clouds.
    return { secret, uri: totpUri(secret, user.handle, this.config.twoFactorIssuer) };
  }

  /** Confirms the pending secret with a code; answers the recovery codes, shown this once. */
  async enable(userId: string, code: string): Promise<string[]> {
    const row = await this.repo.find(userId);
    if (row?.enabledAt) throw new IdentityException(IdentityErrorCode.TwoFactorAlreadyEnabled);
    if (!row?.pendingSecret) {
      throw new IdentityException(
        IdentityErrorCode.TwoFactorSetupMissing,
        'Call POST /auth/2fa/setup, add the secret to your app, then send a code it shows.',
      );
    }
    const step = matchingStep(
      this.cipher.open(row.pendingSecret),
      code,
      this.clock.now().getTime(),
    );
    if (step === null) throw wrongCode();
    const codes = newRecoveryCodes();
    await inTransaction(this.dataSource, (manager) =>
      this.repo.enable(userId, row.pendingSecret!, step, codes.map(hashRecoveryCode), manager),
    );
    return codes;
  }

  /** Turns two-factor sign-in off (the caller confirmed password and a second factor). */
  async disable(userId: string): Promise<void> {
    await inTransaction(this.dataSource, (manager) => this.repo.disable(userId, manager));
  }

  /** New recovery codes; the earlier ones stop working. */
  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await inTransaction(this.dataSource, (manager) =>
      this.repo.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode), manager),
    );
    return codes;
  }

  /**
   * Checks a second factor of a member whose two-factor sign-in is on, and uses it up: true when
   * a code of the current window not used before, or an unused recovery code, was given.
   */
  async consume(userId: string, factor: SecondFactor, manager?: EntityManager): Promise<boolean> {
    if (factor.recoveryCode) {
      return this.repo.useRecoveryCode(userId, hashRecoveryCode(factor.recoveryCode), manager);
    }
    if (!factor.code) return false;
    const row = await this.repo.find(userId, manager);
    if (!row?.enabledAt || !row.secret) return false;
    const now = this.clock.now().getTime();
    const step = matchingStep(this.cipher.open(row.secret), factor.code, now);
    if (step === null) return false;
    return this.repo.useStep(userId, step, currentStep(now) - TOTP_WINDOW - 1, manager);
  }

  /** The second step of a sign-in: an opaque token, good for one verification, for 5 minutes. */
  async startChallenge(userId: string): Promise<{ mfaToken: string; expiresIn: number }> {
    const mfaToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + MFA_CHALLENGE_TTL_SECONDS * 1000);
    await this.repo.createChallenge(userId, hashToken(mfaToken), expiresAt);
    return { mfaToken, expiresIn: MFA_CHALLENGE_TTL_SECONDS };
  }

  /** The challenge of a token, locked; undefined when unknown, used or expired. */
  async lockChallenge(
    mfaToken: string,
    manager: EntityManager,
  ): Promise<{ id: string; userId: string } | undefined> {
    const challenge = await this.repo.lockChallenge(hashToken(mfaToken), manager);
    if (!challenge || challenge.usedAt || challenge.expiresAt <= this.clock.now()) return undefined;
    return challenge;
  }

  markChallengeUsed(id: string, manager: EntityManager): Promise<void> {
    return this.repo.markChallengeUsed(id, manager);
  }

  eraseUser(userId: string, manager: EntityManager): Promise<void> {
    return this.repo.eraseUser(userId, manager);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function wrongCode(): IdentityException {
  return new IdentityException(
    IdentityErrorCode.ConfirmationFailed,
    'The code does not match: check the time on your device and send the code shown now.',
    [{ field: 'code', message: 'does not match' }],
  );
}
