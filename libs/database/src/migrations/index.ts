import type { MigrationInterface } from 'typeorm';
import { Identity1795238746373 } from './1795238746373-identity';
import { CommunitiesEngagement1795239443666 } from './1795239443666-communities-engagement';
import { Discussions1795239898709 } from './1795239898709-discussions';
import { Chat1795239977563 } from './1795239977563-chat';
import { Moderation1795243220777 } from './1795243220777-moderation';
import { EngagementMetrics1795248000325 } from './1795248000325-engagement-metrics';
import { Privacy1795248186396 } from './1795248186396-privacy';
import { Research1795248268743 } from './1795248268743-research';
import { ModerationActionsAudit1795248278638 } from './1795248278638-moderation-actions-audit';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so the same list loads in the built
 * apps and in the test runner. `npm run migration:generate -- Name` writes the next one.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Identity1795238746373,
  CommunitiesEngagement1795239443666,
  Discussions1795239898709,
  Chat1795239977563,
  Moderation1795243220777,
  EngagementMetrics1795248000325,
  Privacy1795248186396,
  Research1795248268743,
  ModerationActionsAudit1795248278638,
];
