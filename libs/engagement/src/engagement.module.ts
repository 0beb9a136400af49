import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { EngagementEventEntity, EngagementReadMarkEntity } from './engagement-event.entity';
import { EngagementRecorder } from './engagement.recorder';
import { VisitInterceptor } from './visit.interceptor';

/** The event log every feature writes to (global: one recorder, one buffer per process). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EngagementEventEntity, EngagementReadMarkEntity])],
  providers: [Clock, EngagementRecorder, { provide: APP_INTERCEPTOR, useClass: VisitInterceptor }],
  exports: [EngagementRecorder],
})
export class EngagementModule {}
