import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { engagementConfig } from '../engagement.config';
import { EngagementRollupScheduler } from './engagement-rollup.scheduler';

/**
 * The periodic roll-up, for long-running processes (api, worker); operator commands import
 * EngagementModule alone and roll up on demand (`cli engagement:rollup`).
 */
@Module({
  imports: [ConfigModule.forFeature(engagementConfig)],
  providers: [EngagementRollupScheduler],
})
export class EngagementRollupModule {}
