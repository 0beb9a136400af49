import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';
import { ResearchWorkerModule } from '@kinship/research';
import { EngagementModule, EngagementRollupModule } from '@kinship/engagement';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    // The identity stack that engagement brings along announces its domain events in-process.
    EventEmitterModule.forRoot(),
    // Pending migrations are applied by whichever process starts first (api, worker or cli),
    // one at a time under an advisory lock, so starting them together is safe.
    DatabaseModule.forRoot('kinship-worker'),
    // Research exports, from the BullMQ queue the api fills (REDIS_URL).
    ResearchWorkerModule,
    // Metric roll-ups: the worker takes turns with the api processes (advisory lock).
    EngagementModule,
    EngagementRollupModule,
  ],
  providers: [Clock],
})
export class WorkerModule {}
