import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { validateEnv } from '@kinship/common';

class ResearchEnv {
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @IsString()
  EXPORT_DIR?: string;

  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(8760)
  EXPORT_TTL_HOURS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  EXPORT_SWEEP_SECONDS?: number;
}

export interface ResearchConfig {
  /** Where export files are written; api and worker must share it. */
  exportDir: string;
  /** How long a finished export (and its files) can be read. */
  exportTtlMs: number;
  /** How often expired files are deleted and interrupted jobs picked up again. */
  sweepIntervalMs: number;
}

export function readResearchConfig(env: NodeJS.ProcessEnv = process.env): ResearchConfig {
  const v = validateEnv(ResearchEnv, env);
  const dataDir = resolve(v.DATA_DIR ?? './data');
  return {
    exportDir: resolve(v.EXPORT_DIR ?? join(dataDir, 'exports')),
    exportTtlMs: Math.round((v.EXPORT_TTL_HOURS ?? 72) * 3_600_000),
    sweepIntervalMs: (v.EXPORT_SWEEP_SECONDS ?? 300) * 1000,
  };
}

export const researchConfig = registerAs('research', () => readResearchConfig());
