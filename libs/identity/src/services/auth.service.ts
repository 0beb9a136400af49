import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { UserEntity } from '../entities/user.entity';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { SessionRepository } from '../repositories/session.repository';
import { UserRepository } from '../repositories/user.repository';
import { AuthUser } from '../roles';
import { PasswordService } from './password.service';
import {
  assertNotLocked,
  assertNotSuspended,
  hashRefreshToken,
  TokenService,
} from './token.service';
import { type SecondFactor, TwoFactorService } from './two-factor.service';

export interface IssuedTokens {
  user: UserEntity;
  accessToken: string;
  refreshToken: string;
}

/** The password was right; a code from the member's authenticator is awaited. */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  expiresIn: number;
}

const DAY_MS = 86_400_000;

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly twoFactor: TwoFactorService,
    private readonly clock: Clock,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {}

  async register(input: {
    email: string;
    password: string;
    handle: string;
  }): Promise<IssuedTokens> {
    this.passwords.assertAcceptable(input.password, input);
    const passwordHash = await this.passwords.hash(input.password);
    return inTransaction(this.dataSource, async (manager) => {
      const user = await this.users.create(
        { email: input.email, handle: input.handle, passwordHash },
        manager,
      );
      return this.startSession(user, manager, false);
    });
  }

  /**
   * Password sign-in. With two-factor sign-in on, the answer is a challenge for the second step
   * (`verifyTwoFactor`), and failed-attempt counting goes on until that step succeeds: a right
   * password alone never resets it, so codes cannot be guessed between password sign-ins.
   */
  async login(input: { email: string; password: string }): Promise<IssuedTokens | MfaChallenge> {
    const user = await this.users.findByEmail(input.email);
    const now = this.clock.now();
    assertNotLocked(user?.lockedUntil ?? null, now);
    const ok = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !ok || user.closedAt) {
      if (user && !user.closedAt) {
        await this.users.recordFailedLogin(
          user.id,
          this.config.accountLockThreshold,
          this.config.accountLockMinutes,
        );
      }
      throw new IdentityException(
        IdentityErrorCode.InvalidCredentials,
        'Check your email and password.',
      );
    }
    assertNotSuspended(user.suspendedUntil, now);
    if (await this.twoFactor.isEnabled(user.id)) {
      return { mfaRequired: true, ...(await this.twoFactor.startChallenge(user.id)) };
    }
    if (user.failedLogins > 0 || user.lockedUntil) await this.users.recordSuccessfulLogin(user.id);
    return inTransaction(this.dataSource, (manager) => this.startSession(user, manager, false));
  }

  /**
   * The second step: the challenge's token and a code (or a recovery code). The challenge serves
   * once; a wrong code counts as a failed sign-in of the account (ACCOUNT_LOCK_THRESHOLD).
   */
  async verifyTwoFactor(mfaToken: string, factor: SecondFactor): Promise<IssuedTokens> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const challenge = await this.twoFactor.lockChallenge(mfaToken, manager);
      const user = challenge && (await this.users.findById(challenge.userId, manager));
      if (!challenge || !user || user.closedAt) return { kind: 'invalid' as const };
      const now = this.clock.now();
      assertNotLocked(user.lockedUntil, now);
      assertNotSuspended(user.suspendedUntil, now);
      if (!(await this.twoFactor.consume(user.id, factor, manager))) {
        return { kind: 'wrong' as const, userId: user.id };
      }
      await this.twoFactor.markChallengeUsed(challenge.id, manager);
      if (user.failedLogins > 0 || user.lockedUntil) {
        await this.users.recordSuccessfulLogin(user.id, manager);
      }
      return { kind: 'ok' as const, issued: await this.startSession(user, manager, true) };
    });
    if (outcome.kind === 'invalid') {
      throw new IdentityException(
        IdentityErrorCode.InvalidMfaToken,
        'This sign-in has expired or was completed already. Sign in again.',
      );
    }
    if (outcome.kind === 'wrong') {
      await this.users.recordFailedLogin(
        outcome.userId,
        this.config.accountLockThreshold,
        this.config.accountLockMinutes,
      );
      throw new IdentityException(
        IdentityErrorCode.InvalidTwoFactorCode,
        'Send the code your authenticator shows now (each code works once), or a recovery code.',
      );
    }
    return outcome.issued;
  }

  /**
   * Rotates a refresh token. A token presented twice means it leaked (or a client misbehaves):
   * the whole family is revoked, and the revocation is committed before the 401 is answered.
   */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const token = await this.sessions.lockToken(tokenHash, manager);
      const now = this.clock.now();
      if (
        !token ||
        token.sessionRevokedAt ||
        token.expiresAt <= now ||
        token.sessionExpiresAt <= now
      ) {
        return { kind: 'invalid' as const };
      }
      if (token.usedAt) {
        await this.sessions.revokeSession(token.sessionId, 'refresh_token_reuse', manager);
        return { kind: 'reused' as const };
      }
      const user = await this.users.findById(token.userId, manager);
      if (!user || user.closedAt) return { kind: 'invalid' as const };
      assertNotSuspended(user.suspendedUntil, now);
      await this.sessions.markTokenUsed(token.tokenId, manager);
      const next = this.tokens.newRefreshToken();
      await this.sessions.addToken(token.sessionId, next.hash, token.sessionExpiresAt, manager);
      return {
        kind: 'ok' as const,
        issued: {
          user,
          accessToken: this.tokens.signAccess(user, token.sessionId, token.sessionTwoFactor),
          refreshToken: next.token,
        },
      };
    });
    if (outcome.kind === 'reused') {
      throw new IdentityException(
        IdentityErrorCode.RefreshTokenReused,
        'This refresh token was already used, so every token of its session has been revoked. Sign in again.',
      );
    }
    if (outcome.kind === 'invalid') {
      throw new IdentityException(IdentityErrorCode.InvalidRefreshToken, 'Sign in again.');
    }
    return outcome.issued;
  }

  logout(user: AuthUser): Promise<void> {
    return this.sessions.revokeSession(user.sessionId, 'logout');
  }

  private async startSession(
    user: UserEntity,
    manager: EntityManager,
    twoFactor: boolean,
  ): Promise<IssuedTokens> {
    const sessionExpiresAt = new Date(
      this.clock.now().getTime() + this.config.refreshTokenTtlDays * DAY_MS,
    );
    const session = await this.sessions.createSession(
      user.id,
      sessionExpiresAt,
      twoFactor,
      manager,
    );
    const refresh = this.tokens.newRefreshToken();
    await this.sessions.addToken(session.id, refresh.hash, sessionExpiresAt, manager);
    return {
      user,
      accessToken: this.tokens.signAccess(user, session.id, twoFactor),
      refreshToken: refresh.token,
    };
  }
}
