import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@kinship/database';
import { UserService, type AuthUser } from '@kinship/identity';
import { AuditLog } from '../audit/audit-log';
import { type CreateReportDto, QueueItemDto } from '../dto/queue.dto';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { ReportRepository } from '../repositories/report.repository';
import { URGENCY } from '../screening/screening.types';
import { AfterCommit } from './after-commit';
import { ContentModeration } from './content-moderation';
import { type ContentType, ContentRegistry } from './content-registry';
import { GroupSettingsService } from './group-settings.service';
import { ScreeningService } from './screening.service';

/**
 * Members report what they can see; a report goes to the moderators of the target's group. When
 * the group sets a report threshold, that many distinct reporters hide the content until a
 * moderator decides (audited as the platform's own action).
 */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: ContentRegistry,
    private readonly reports: ReportRepository,
    private readonly users: UserService,
    private readonly screening: ScreeningService,
    private readonly settings: GroupSettingsService,
    private readonly contents: ContentModeration,
    private readonly audit: AuditLog,
  ) {}

  async create(user: AuthUser, dto: CreateReportDto): Promise<QueueItemDto> {
    const groupId = await this.visibleTargetGroup(user, dto);
    const threshold =
      groupId && dto.targetType !== 'user'
        ? (await this.settings.of(groupId)).reportHideThreshold
        : 0;
    const after = new AfterCommit();
    const report = await inTransaction(this.dataSource, async (manager) => {
      const report = await this.reports.insert(
        {
          kind: 'report',
          groupId,
          targetType: dto.targetType,
          targetId: dto.targetId,
          reason: dto.reason,
          details: dto.details?.trim() || null,
          reporterId: user.id,
          reasons: [],
          urgency: URGENCY[dto.reason],
          status: 'open',
        },
        manager,
      );
      if (threshold > 0) {
        const reporters = await this.reports.countOpenReporters(dto.targetId, manager);
        const loaded = await this.contents.load(
          dto.targetType as ContentType,
          dto.targetId,
          manager,
        );
        if (reporters >= threshold && loaded.content.status === 'published') {
          const reason = `${reporters} members reported it (the group hides content at ${threshold})`;
          await this.contents.move(
            manager,
            loaded,
            'hidden',
            { actorId: null, reason, notify: false },
            after,
          );
          await this.audit.append(manager, {
            actorId: null,
            action: 'content.auto_hide',
            targetType: dto.targetType,
            targetId: dto.targetId,
            groupId,
            reason,
            details: { reporters, threshold, reportId: report.id },
          });
        }
      }
      return report;
    });
    await after.run();
    this.screening.announce(report);
    return QueueItemDto.of(report, { id: user.id, handle: user.handle });
  }

  /** The target's group (null for a user), or a 404 when the reporter cannot see the target. */
  private async visibleTargetGroup(user: AuthUser, dto: CreateReportDto): Promise<string | null> {
    if (dto.targetType === 'user') {
      const found = await this.users.publicProfiles([dto.targetId]);
      if (!found.has(dto.targetId) || dto.targetId === user.id) throw targetNotFound();
      return null;
    }
    const content = await this.registry.get(dto.targetType)?.findVisible(dto.targetId, user);
    if (!content) throw targetNotFound();
    return content.groupId;
  }
}

function targetNotFound(): ModerationException {
  return new ModerationException(
    ModerationErrorCode.TargetNotFound,
    'The target does not exist or is not visible to you.',
  );
}
