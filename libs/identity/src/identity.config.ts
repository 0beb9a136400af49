import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ConfigurationError, validateEnv } from '@kinship/common';

class IdentityEnv {
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  JWT_AUDIENCE?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  ACCOUNT_LOCK_THRESHOLD?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1440)
  ACCOUNT_LOCK_MINUTES?: number;

  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  TWO_FACTOR_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  TWO_FACTOR_ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;
}

export interface IdentityConfig {
  jwtSecret: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginRateLimitPerMinute: number;
  accountLockThreshold: number;
  accountLockMinutes: number;
  bootstrapAdmin?: { email: string; password: string };
  /** The name authenticator apps show next to the account. */
  twoFactorIssuer: string;
  /** Key material for the authenticator secrets at rest (defaults to the JWT secret). */
  twoFactorEncryptionKey: string;
}

/**
 * Production (DATABASE_URL set) must share one JWT_SECRET between its processes. The embedded
 * default generates one at first start and keeps it in DATA_DIR, so tokens survive restarts.
 */
function jwtSecret(env: IdentityEnv): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.DATABASE_URL) {
    throw new ConfigurationError(['JWT_SECRET: is required when DATABASE_URL is set']);
  }
  const dir = join(resolve(env.DATA_DIR ?? './data'), 'secrets');
  const file = join(dir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return secret;
  }
}

export function readIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const v = validateEnv(IdentityEnv, env);
  if (!!v.BOOTSTRAP_ADMIN_EMAIL !== !!v.BOOTSTRAP_ADMIN_PASSWORD) {
    throw new ConfigurationError([
      'BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: set both or neither',
    ]);
  }
  const secret = jwtSecret(v);
  return {
    jwtSecret: secret,
    issuer: v.JWT_ISSUER ?? 'kinship',
    audience: v.JWT_AUDIENCE ?? 'kinship-api',
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS ?? 900,
    refreshTokenTtlDays: v.REFRESH_TOKEN_TTL_DAYS ?? 30,
    loginRateLimitPerMinute: v.LOGIN_RATE_LIMIT_PER_MINUTE ?? 20,
    accountLockThreshold: v.ACCOUNT_LOCK_THRESHOLD ?? 5,
    accountLockMinutes: v.ACCOUNT_LOCK_MINUTES ?? 15,
    bootstrapAdmin:
      v.BOOTSTRAP_ADMIN_EMAIL && v.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: v.BOOTSTRAP_ADMIN_EMAIL.toLowerCase(), password: v.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
    twoFactorIssuer: v.TWO_FACTOR_ISSUER ?? 'Kinship',
    twoFactorEncryptionKey: v.TWO_FACTOR_ENCRYPTION_KEY ?? secret,
  };
}

export const identityConfig = registerAs('identity', () => readIdentityConfig());
