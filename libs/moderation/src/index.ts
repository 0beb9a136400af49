export * from './moderation.module';
export * from './moderation.config';
export * from './moderation.exception';
export * from './moderation.events';
export { ScreeningService, type Screening } from './services/screening.service';
export {
  ContentRegistry,
  type ContentSource,
  type ContentType,
  type ModeratedContent,
} from './services/content-registry';
export type {
  Category,
  CrisisResource,
  RuleAction,
  ScreeningResult,
} from './screening/screening.types';
export { ModerationRuleEntity } from './entities/moderation-rule.entity';
export { ModerationReportEntity } from './entities/moderation-report.entity';
