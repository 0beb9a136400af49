import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { validateEnv } from '@kinship/common';

class EngagementEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  ENGAGEMENT_ROLLUP_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  ENGAGEMENT_ROLLUP_BATCH?: number;
}

export interface EngagementConfig {
  /** How often api and worker processes roll new events up; 0: never (the metrics stay exact). */
  rollupIntervalMs: number;
  /** Events per roll-up transaction. */
  rollupBatch: number;
}

export const engagementConfig = registerAs('engagement', (): EngagementConfig => {
  const env = validateEnv(EngagementEnv);
  return {
    rollupIntervalMs: env.ENGAGEMENT_ROLLUP_INTERVAL_MS ?? 5_000,
    rollupBatch: env.ENGAGEMENT_ROLLUP_BATCH ?? 20_000,
  };
});
