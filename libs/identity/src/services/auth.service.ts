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
import { assertNotSuspended, hashRefreshToken, TokenService } from './token.service';

export interface IssuedTokens {
  user: UserEntity;
  accessToken: string;
  refreshToken: string;
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
      return this.startSession(user, manager);
    });
  }

  async login(input: { email: string; password: string }): Promise<IssuedTokens> {
    const user = await this.users.findByEmail(input.email);
    const now = this.clock.now();
    if (user?.lockedUntil && user.lockedUntil > now) {
      throw this.lockedProblem(user.lockedUntil, now);
    }
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
    if (user.failedLogins > 0 || user.lockedUntil) await this.users.recordSuccessfulLogin(user.id);
    return inTransaction(this.dataSource, (manager) => this.startSession(user, manager));
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
          accessToken: this.tokens.signAccess(user, token.sessionId),
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

  private async startSession(user: UserEntity, manager: EntityManager): Promise<IssuedTokens> {
    const sessionExpiresAt = new Date(
      this.clock.now().getTime() + this.config.refreshTokenTtlDays * DAY_MS,
    );
    const session = await this.sessions.createSession(user.id, sessionExpiresAt, manager);
    const refresh = this.tokens.newRefreshToken();
    await this.sessions.addToken(session.id, refresh.hash, sessionExpiresAt, manager);
    return {
      user,
      accessToken: this.tokens.signAccess(user, session.id),
      refreshToken: refresh.token,
    };
  }

  private lockedProblem(lockedUntil: Date, now: Date): IdentityException {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000),
    );
    return new IdentityException(
      IdentityErrorCode.AccountLocked,
      `Too many failed sign-ins for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      undefined,
      { retryAfterSeconds },
    );
  }
}
