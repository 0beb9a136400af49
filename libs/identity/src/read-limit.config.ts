import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { validateEnv } from '@kinship/common';

class ReadLimitEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  READ_RATE_LIMIT_PER_MINUTE?: number;
}

export interface ReadLimitConfig {
  /** Pages of content one reader (a member, or an IP address when anonymous) may fetch a minute. */
  perMinute: number;
}

export const readLimitConfig = registerAs('readLimit', (): ReadLimitConfig => ({
  // Reading attentively is a few pages a minute; scripts read hundreds.
  perMinute: validateEnv(ReadLimitEnv).READ_RATE_LIMIT_PER_MINUTE ?? 120,
}));
