import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { CommunitiesModule } from '@kinship/communities';
import { IdentityModule } from '@kinship/identity';
import { AuditLog } from './audit/audit-log';
import { HeldReads } from './audit/held-reads';
import { ActionsController } from './controllers/actions.controller';
import { AuditController } from './controllers/audit.controller';
import { ModerationController } from './controllers/moderation.controller';
import { NoticesController } from './controllers/notices.controller';
import { ReportsController } from './controllers/reports.controller';
import { GroupSettingsController } from './controllers/settings.controller';
import { GroupSettingsEntity } from './entities/group-settings.entity';
import { ModerationAuditEntity } from './entities/moderation-audit.entity';
import { ModerationReportEntity } from './entities/moderation-report.entity';
import { ModerationRuleEntity } from './entities/moderation-rule.entity';
import { NoticeEntity } from './entities/notice.entity';
import { SlowModeSlotEntity } from './entities/slow-mode-slot.entity';
import { moderationConfig } from './moderation.config';
import { AuditRepository } from './repositories/audit.repository';
import { NoticeRepository } from './repositories/notice.repository';
import { ReportPersonalDataRepository } from './repositories/report-personal-data.repository';
import { ReportRepository } from './repositories/report.repository';
import { RuleRepository } from './repositories/rule.repository';
import { SettingsRepository } from './repositories/settings.repository';
import { ActionService } from './services/action.service';
import { AuditService } from './services/audit.service';
import { ContentModeration } from './services/content-moderation';
import { ContentRegistry } from './services/content-registry';
import { GroupSettingsService } from './services/group-settings.service';
import { MemberActions } from './services/member-actions';
import { NoticeService } from './services/notice.service';
import { QueueService } from './services/queue.service';
import { ReportPersonalData } from './services/report-personal-data.source';
import { ReportService } from './services/report.service';
import { RuleService } from './services/rule.service';
import { ScrapingListener } from './services/scraping.listener';
import { ScreeningService } from './services/screening.service';
import { WriteGate } from './services/write-gate';

/**
 * Reports, screening rules and detectors, held content, moderators' actions, group settings,
 * members' notices and the audit log. Discussions and chat import this module for
 * ScreeningService (and HeldReads) and register their content with ContentRegistry; moderation
 * never imports them back.
 */
@Module({
  imports: [
    ConfigModule.forFeature(moderationConfig),
    TypeOrmModule.forFeature([
      ModerationRuleEntity,
      ModerationReportEntity,
      ModerationAuditEntity,
      GroupSettingsEntity,
      SlowModeSlotEntity,
      NoticeEntity,
    ]),
    IdentityModule,
    CommunitiesModule,
  ],
  controllers: [
    ModerationController,
    ReportsController,
    ActionsController,
    AuditController,
    GroupSettingsController,
    NoticesController,
  ],
  providers: [
    Clock,
    RuleRepository,
    ReportRepository,
    AuditRepository,
    SettingsRepository,
    NoticeRepository,
    AuditLog,
    HeldReads,
    ContentRegistry,
    GroupSettingsService,
    WriteGate,
    ScreeningService,
    RuleService,
    ReportService,
    QueueService,
    ScrapingListener,
    NoticeService,
    ContentModeration,
    MemberActions,
    ActionService,
    AuditService,
    ReportPersonalDataRepository,
    ReportPersonalData,
  ],
  exports: [ScreeningService, ContentRegistry, AuditLog, AuditService, HeldReads],
})
export class ModerationModule {}
