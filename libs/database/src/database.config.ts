import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { booleanFromEnv, validateEnv } from '@kinship/common';

class DatabaseEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(booleanFromEnv)
  @IsBoolean()
  DATABASE_SSL?: boolean;

  @IsOptional()
  @Transform(booleanFromEnv)
  @IsBoolean()
  DATABASE_MIGRATE_ON_START?: boolean;
}

export interface DatabaseConfig {
  /** Real PostgreSQL when set; otherwise the embedded database in `dataDir`. */
  url?: string;
  dataDir: string;
  poolSize: number;
  statementTimeoutMs: number;
  ssl: boolean;
  migrateOnStart: boolean;
}

export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const v = validateEnv(DatabaseEnv, env);
  return {
    url: v.DATABASE_URL,
    dataDir: resolve(v.DATA_DIR ?? './data'),
    // The embedded server runs one transaction at a time, so a large pool only queues.
    poolSize: v.DATABASE_POOL_SIZE ?? (v.DATABASE_URL ? 10 : 4),
    statementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT_MS ?? 30_000,
    ssl: v.DATABASE_SSL ?? false,
    migrateOnStart: v.DATABASE_MIGRATE_ON_START ?? true,
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
