export * from './moderation.module';
export * from './moderation.config';
export * from './moderation.exception';
export * from './moderation.events';
export { ScreeningService, type Screening } from './services/screening.service';
export type { Writer } from './services/write-gate';
export {
  ContentRegistry,
  type ContentSource,
  type ContentType,
  type ModeratedContent,
  type ModerationStatus,
} from './services/content-registry';
export type {
  Category,
  CrisisResource,
  RuleAction,
  ScreeningResult,
} from './screening/screening.types';
export { AuditLog, type AuditEntry, type AuditEntryInput } from './audit/audit-log';
export { HeldReads, type HeldItemRead } from './audit/held-reads';
export { AuditService } from './services/audit.service';
export type { ChainCheck } from './audit/audit-chain';
export { ModerationRuleEntity } from './entities/moderation-rule.entity';
export { ModerationReportEntity } from './entities/moderation-report.entity';
