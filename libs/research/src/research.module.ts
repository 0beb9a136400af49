import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, Clock } from '@kinship/common';
import {
  CommunitiesModule,
  GroupEntity,
  MembershipDirectory,
  MembershipEntity,
} from '@kinship/communities';
import { databaseConfig } from '@kinship/database';
import { EngagementEventReader, EngagementModule } from '@kinship/engagement';
import { IdentityModule, UserEntity } from '@kinship/identity';
import { ModerationModule } from '@kinship/moderation';
import { ResearchController } from './controllers/research.controller';
import { StudyMetricsService } from './services/study-metrics.service';
import { ResearchPersonalDataRepository } from './repositories/research-personal-data.repository';
import {
  ConsentPersonalData,
  SurveyAnswerPersonalData,
} from './services/research-personal-data.source';
import { StudiesController } from './controllers/studies.controller';
import { ConsentRecordEntity, ParticipantEntity } from './entities/consent.entity';
import { ExportEntity } from './entities/export.entity';
import { StudyEntity, StudyGroupEntity } from './entities/study.entity';
import { SurveyEntity, SurveyResponseEntity } from './entities/survey.entity';
import { BullExportConsumer } from './export/bull-export.consumer';
import { BullExportQueue } from './export/bull-export.queue';
import { ExportBuilder } from './export/export-builder';
import { ExportRoster } from './export/export-roster';
import { ExportMaintenance } from './export/export-maintenance';
import { EXPORT_JOB_QUEUE } from './export/export-queue';
import { InProcessExportRunner } from './export/in-process-export.runner';
import { ConsentRepository } from './repositories/consent.repository';
import { ExportRepository } from './repositories/export.repository';
import { StudyRepository } from './repositories/study.repository';
import { SurveyRepository } from './repositories/survey.repository';
import { researchConfig } from './research.config';
import { ConsentService } from './services/consent.service';
import { ExportService } from './services/export.service';
import { StudyAccess } from './services/study-access';
import { StudyService } from './services/study.service';
import { SurveyService } from './services/survey.service';

export const RESEARCH_ENTITIES = [
  StudyEntity,
  StudyGroupEntity,
  ConsentRecordEntity,
  ParticipantEntity,
  SurveyEntity,
  SurveyResponseEntity,
  ExportEntity,
];

const CONFIG = [ConfigModule.forFeature(researchConfig), ConfigModule.forFeature(databaseConfig)];

/** What builds exports, in the api and in the worker alike. */
const BUILDING = [
  Clock,
  StudyRepository,
  ConsentRepository,
  SurveyRepository,
  ExportRepository,
  EngagementEventReader,
  ExportRoster,
  ExportBuilder,
  ExportMaintenance,
];

/**
 * Studies, consent, surveys and anonymised exports (the api's side). Exports are built by the
 * worker through BullMQ when REDIS_URL is set, and by this process otherwise.
 */
@Module({
  imports: [
    ...CONFIG,
    TypeOrmModule.forFeature(RESEARCH_ENTITIES),
    CommunitiesModule,
    // Group metrics over a study's consenting members.
    EngagementModule,
    // Consents and survey answers join members' data export and erasure.
    IdentityModule,
    // The audit log: every export request and download is recorded there.
    ModerationModule,
  ],
  controllers: [StudiesController, ResearchController],
  providers: [
    ...BUILDING,
    StudyAccess,
    StudyService,
    ConsentService,
    SurveyService,
    ExportService,
    StudyMetricsService,
    ResearchPersonalDataRepository,
    ConsentPersonalData,
    SurveyAnswerPersonalData,
    InProcessExportRunner,
    BullExportQueue,
    {
      provide: EXPORT_JOB_QUEUE,
      inject: [appConfig.KEY, InProcessExportRunner, BullExportQueue],
      useFactory: (
        app: ConfigType<typeof appConfig>,
        inProcess: InProcessExportRunner,
        bull: BullExportQueue,
      ) => (app.redisUrl ? bull : inProcess),
    },
  ],
  exports: [StudyAccess, StudyRepository, ConsentRepository],
})
export class ResearchModule {}

/** Research tables only, for processes that run no research work (the cli's schema commands). */
@Module({ imports: [TypeOrmModule.forFeature(RESEARCH_ENTITIES)] })
export class ResearchEntitiesModule {}

/**
 * The worker's side: consumes the export queue. Only memberships are read from communities, so
 * its directory is provided here rather than the whole communities module (which needs the
 * identity stack, JWT secret and all).
 */
@Module({
  imports: [
    ...CONFIG,
    TypeOrmModule.forFeature([...RESEARCH_ENTITIES, MembershipEntity, GroupEntity, UserEntity]),
    // Members' class and counts for participants.csv.
    EngagementModule,
  ],
  providers: [...BUILDING, MembershipDirectory, BullExportConsumer],
})
export class ResearchWorkerModule {}
