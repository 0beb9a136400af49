import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Clock, isUuid } from '@kinship/common';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { SessionRepository } from '../repositories/session.repository';
import { AuthUser, isStaffRole, PLATFORM_ROLES, PlatformRole } from '../roles';

interface AccessClaims {
  sub: string;
  sid: string;
  role: PlatformRole;
  handle: string;
  /** Authentication methods of the sign-in (RFC 8176): `pwd`, plus `otp` and `mfa` after a code. */
  amr?: string[];
}

export const PASSWORD_AMR = ['pwd'];
export const TWO_FACTOR_AMR = ['pwd', 'otp', 'mfa'];

/** Only this algorithm is signed and accepted: `alg: none` and key-confusion tricks fail. */
const ALGORITHM = 'HS256' as const;

/**
 * Access tokens (short-lived JWTs) and opaque refresh tokens. The same `authenticate` serves HTTP
 * guards and the socket handshake, so both apply suspension and session revocation at once.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  /**
   * The secret as a key object, built once. Given a string, jsonwebtoken first tries to read it
   * as a PEM public key on every call; that failed attempt (an exception) cost more than the HMAC
   * itself and was the largest single item of an authenticated request's CPU profile.
   * (@nestjs/jwt's option type says string | Buffer; jsonwebtoken takes a KeyObject.)
   */
  private readonly key: KeyObject;

  signAccess(
    user: { id: string; role: PlatformRole; handle: string },
    sessionId: string,
    twoFactor: boolean,
  ): string {
    const claims: AccessClaims = {
      sub: user.id,
      sid: sessionId,
      role: user.role,
      handle: user.handle,
      amr: twoFactor ? TWO_FACTOR_AMR : PASSWORD_AMR,
    };
    return this.jwt.sign(claims, {
      algorithm: ALGORITHM,
      secret: this.key as unknown as Buffer,
      issuer: this.config.issuer,
      audience: this.config.audience,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
  }

  /** A new opaque refresh token and the hash under which it is stored. */
  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashRefreshToken(token) };
  }

  /** Verifies signature, algorithm, issuer, audience and expiry, then the account and session. */
  async authenticate(token: string | undefined): Promise<AuthUser> {
    if (!token) {
      throw new IdentityException(
        IdentityErrorCode.InvalidAccessToken,
        'Send Authorization: Bearer <accessToken>.',
      );
    }
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        algorithms: [ALGORITHM],
        secret: this.key as unknown as Buffer,
        issuer: this.config.issuer,
        audience: this.config.audience,
      });
    } catch {
      throw new IdentityException(
        IdentityErrorCode.InvalidAccessToken,
        'The access token is invalid or has expired.',
      );
    }
    if (!isUuid(claims.sub) || !isUuid(claims.sid) || !PLATFORM_ROLES.includes(claims.role)) {
      throw new IdentityException(
        IdentityErrorCode.InvalidAccessToken,
        'The access token is malformed.',
      );
    }
    const principal = await this.sessions.principal(claims.sub, claims.sid);
    const now = this.clock.now();
    if (
      !principal ||
      principal.closedAt ||
      principal.sessionRevokedAt ||
      principal.sessionExpiresAt <= now
    ) {
      throw new IdentityException(IdentityErrorCode.SessionEnded, 'Sign in again.');
    }
    assertNotSuspended(principal.suspendedUntil, now);
    // The role is the one the token was issued with: a role change applies from the next token.
    // A staff role acts only when the sign-in passed a second factor; until then, as a member.
    const twoFactor = Array.isArray(claims.amr) && claims.amr.includes('mfa');
    const awaitsSecondFactor = isStaffRole(claims.role) && !twoFactor;
    return {
      id: principal.userId,
      handle: principal.handle,
      role: awaitsSecondFactor ? 'member' : claims.role,
      ...(awaitsSecondFactor ? { heldRole: claims.role } : {}),
      twoFactor,
      sessionId: claims.sid,
    };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 429 while an account is locked after failed sign-ins (or failed second factors). */
export function assertNotLocked(lockedUntil: Date | null, now: Date): void {
  if (!lockedUntil || lockedUntil <= now) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  throw new IdentityException(
    IdentityErrorCode.AccountLocked,
    `Too many failed sign-ins for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    undefined,
    { retryAfterSeconds },
  );
}

export function assertNotSuspended(suspendedUntil: Date | null, now: Date): void {
  if (suspendedUntil && suspendedUntil > now) {
    throw new IdentityException(
      IdentityErrorCode.AccountSuspended,
      `This account is suspended until ${suspendedUntil.toISOString()}.`,
      undefined,
      { suspendedUntil: suspendedUntil.toISOString() },
    );
  }
}
