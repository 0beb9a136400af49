import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { CommunitiesModule } from '@kinship/communities';
import { IdentityModule } from '@kinship/identity';
import { ModerationController } from './controllers/moderation.controller';
import { ReportsController } from './controllers/reports.controller';
import { ModerationReportEntity } from './entities/moderation-report.entity';
import { ModerationRuleEntity } from './entities/moderation-rule.entity';
import { moderationConfig } from './moderation.config';
import { ReportRepository } from './repositories/report.repository';
import { RuleRepository } from './repositories/rule.repository';
import { ContentRegistry } from './services/content-registry';
import { QueueService } from './services/queue.service';
import { ReportService } from './services/report.service';
import { RuleService } from './services/rule.service';
import { ScreeningService } from './services/screening.service';

/**
 * Reports, screening rules and detectors, held content. Discussions and chat import this module
 * for ScreeningService and register their content with ContentRegistry; moderation never imports
 * them back.
 */
@Module({
  imports: [
    ConfigModule.forFeature(moderationConfig),
    TypeOrmModule.forFeature([ModerationRuleEntity, ModerationReportEntity]),
    IdentityModule,
    CommunitiesModule,
  ],
  controllers: [ModerationController, ReportsController],
  providers: [
    Clock,
    RuleRepository,
    ReportRepository,
    ContentRegistry,
    ScreeningService,
    RuleService,
    ReportService,
    QueueService,
  ],
  exports: [ScreeningService, ContentRegistry],
})
export class ModerationModule {}
