import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { IdentityModule } from '@kinship/identity';
import { EngagementEventEntity, EngagementReadMarkEntity } from './engagement-event.entity';
import { EngagementPersonalDataRepository } from './engagement-personal-data.repository';
import { EngagementPersonalData } from './engagement-personal-data.source';
import { EngagementRecorder } from './engagement.recorder';
import { VisitInterceptor } from './visit.interceptor';
import { engagementConfig } from './engagement.config';
import { EngagementMetricsRepository } from './metrics/engagement-metrics.repository';
import { EngagementMetrics } from './metrics/engagement-metrics.service';
import { EngagementRollup } from './rollup/engagement-rollup.service';
import {
  EngagementMemberDayEntity,
  EngagementMemberEntity,
  EngagementRollupStateEntity,
  EngagementThreadEntity,
} from './rollup/engagement-rollup.entity';

/**
 * The event log every feature writes to (global: one recorder, one buffer per process), its
 * roll-up and the metrics over it. The periodic roll-up lives in EngagementRollupModule.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forFeature(engagementConfig),
    TypeOrmModule.forFeature([
      EngagementEventEntity,
      EngagementReadMarkEntity,
      EngagementMemberDayEntity,
      EngagementMemberEntity,
      EngagementThreadEntity,
      EngagementRollupStateEntity,
    ]),
    IdentityModule,
  ],
  providers: [
    Clock,
    EngagementRecorder,
    { provide: APP_INTERCEPTOR, useClass: VisitInterceptor },
    EngagementPersonalDataRepository,
    EngagementPersonalData,
    EngagementRollup,
    EngagementMetricsRepository,
    EngagementMetrics,
  ],
  exports: [EngagementRecorder, EngagementRollup, EngagementMetrics],
})
export class EngagementModule {}
