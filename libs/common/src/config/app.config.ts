import { registerAs } from '@nestjs/config';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { booleanFromEnv, validateEnv } from './env.validation';

class AppEnv {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;

  @IsOptional()
  @Transform(booleanFromEnv)
  @IsBoolean()
  TRUST_PROXY?: boolean;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:_-]{1,40}$/, { message: 'must be 1 to 40 letters, digits, :, _ or -' })
  REDIS_KEY_PREFIX?: string;
}

export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  logLevel: string;
  bodyLimitBytes: number;
  trustProxy: boolean;
  corsOrigins: string[];
  redisUrl?: string;
  /** Namespaces every Redis key, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  version: string;
}

export const PLATFORM_VERSION = '0.1.0';

export const appConfig = registerAs('app', (): AppConfig => {
  const env = validateEnv(AppEnv);
  return {
    nodeEnv: env.NODE_ENV ?? 'development',
    port: env.PORT ?? 3000,
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 1024 * 1024,
    trustProxy: env.TRUST_PROXY ?? false,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'kinship',
    version: PLATFORM_VERSION,
  };
});
