import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, CommonException } from '@kinship/common';
import {
  CommunitiesErrorCode,
  CommunitiesException,
  GroupAccessPolicy,
} from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import { type AuthUser, UserService } from '@kinship/identity';
import { AuditLog } from '../audit/audit-log';
import type { ActionResultDto, DirectActionDto, ResolveReportDto } from '../dto/action.dto';
import { QueueItemDto } from '../dto/queue.dto';
import type { QueueItemKind } from '../entities/moderation-report.entity';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { ReportRepository } from '../repositories/report.repository';
import { AfterCommit } from './after-commit';
import { ContentModeration, type LoadedContent } from './content-moderation';
import type { ContentType } from './content-registry';
import {
  AUDIT_ACTION,
  CONTENT_ACTIONS,
  GROUP_ACTIONS,
  RESOLUTION,
  SETTLING,
  type ActionRequest,
  validateAction,
} from './action-rules';
import { type MemberAction, MemberActions } from './member-actions';

/**
 * Moderators' actions, from a report (the contract: POST /moderation/reports/{id}/resolve) or
 * directly on content or a member. Each runs in one transaction with its audit entry; what
 * readers and sockets must see follows right after the commit.
 */
@Injectable()
export class ActionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: GroupAccessPolicy,
    private readonly reports: ReportRepository,
    private readonly contents: ContentModeration,
    private readonly members: MemberActions,
    private readonly users: UserService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async resolve(user: AuthUser, reportId: string, dto: ResolveReportDto): Promise<ActionResultDto> {
    const report = await this.reports.findById(reportId);
    if (!report) throw new ModerationException(ModerationErrorCode.ReportNotFound);
    await this.assertModerates(user, report.groupId, () => reportNotFound());
    if (report.kind === 'held') {
      throw new ModerationException(
        ModerationErrorCode.HeldDecision,
        `Use POST /moderation/held/${report.targetId}/approve or /reject.`,
      );
    }
    if (report.status !== 'open') throw resolvedAlready();
    if (report.targetType === 'user' && GROUP_ACTIONS.has(dto.action)) {
      throw CommonException.validation([
        {
          field: 'action',
          message:
            'a report of a user names no group: mute or ban through POST /moderation/actions with a groupId',
        },
      ]);
    }
    return this.execute(user, {
      ...dto,
      targetType: report.targetType,
      targetId: report.targetId,
      report,
    });
  }

  direct(user: AuthUser, dto: DirectActionDto): Promise<ActionResultDto> {
    if (dto.targetType !== 'user' && dto.groupId) {
      throw CommonException.validation([
        { field: 'groupId', message: "only for a user target (content's group is implied)" },
      ]);
    }
    if (dto.targetType === 'user' && GROUP_ACTIONS.has(dto.action) && !dto.groupId) {
      throw CommonException.validation([
        { field: 'groupId', message: `is required to ${dto.action}` },
      ]);
    }
    return this.execute(user, dto);
  }

  private async execute(user: AuthUser, req: ActionRequest): Promise<ActionResultDto> {
    validateAction(req);
    const isContent = req.targetType !== 'user';
    const loaded = isContent ? await this.loadTarget(req) : undefined;
    const groupId = loaded ? loaded.content.groupId : (req.groupId ?? req.report?.groupId ?? null);
    if (!req.report) {
      await this.assertModerates(
        user,
        groupId,
        () => new ModerationException(ModerationErrorCode.ActionTargetNotFound),
      );
    }
    if (req.action === 'suspend' && user.role !== 'admin') {
      throw new ModerationException(ModerationErrorCode.AdminRequired, 'Only admins suspend.');
    }
    const personAction = !CONTENT_ACTIONS.has(req.action) && req.action !== 'dismiss';
    const personId = loaded ? loaded.content.authorId : req.targetId;
    if (personAction) {
      if (!loaded) await this.assertUserExists(personId);
      await this.members.assertActionable({
        action: req.action as MemberAction,
        actorId: user.id,
        userId: personId,
      });
    }

    const after = new AfterCommit();
    const now = this.clock.now();
    const result = await inTransaction(this.dataSource, async (manager) => {
      if (req.report) {
        const locked = await this.reports.findForUpdate(req.report.id, manager);
        if (!locked || locked.status !== 'open') throw resolvedAlready();
      }
      const current = loaded
        ? await this.contents.load(loaded.content.type, loaded.content.id, manager)
        : undefined;
      const outcome: Partial<ActionResultDto> = {};
      const details: Record<string, unknown> = {};
      if (current) {
        details.content = {
          type: current.content.type,
          id: current.content.id,
          authorId: current.content.authorId,
          statusBefore: current.content.status,
        };
        const status = await this.contentStatus(req, current, manager);
        if (status) {
          await this.contents.move(
            manager,
            current,
            status,
            { actorId: user.id, reason: req.reason, notify: req.action !== 'restore' },
            after,
          );
        }
        outcome.contentStatus = status ?? current.content.status;
      }
      if (personAction) {
        Object.assign(
          outcome,
          await this.members.apply(
            manager,
            {
              action: req.action as MemberAction,
              actorId: user.id,
              userId: personId,
              groupId,
              reason: req.reason,
              durationMinutes: req.durationMinutes,
              content: current && { type: current.content.type, id: current.content.id },
            },
            after,
          ),
        );
        outcome.userId = personId;
      }
      const resolution = { by: user.id, as: RESOLUTION[req.action], reason: req.reason, at: now };
      let closed: string[] = [];
      if (SETTLING.has(req.action)) {
        const kinds: QueueItemKind[] =
          req.action === 'remove' ? ['report', 'flag', 'held'] : ['report', 'flag'];
        closed = await this.reports.close(req.targetId, kinds, resolution, manager);
      } else if (req.report) {
        await this.reports.closeOne(req.report.id, resolution, manager);
        closed = [req.report.id];
      }
      if (req.report && !closed.includes(req.report.id)) {
        await this.reports.closeOne(req.report.id, resolution, manager);
        closed.push(req.report.id);
      }
      if (req.report) details.reportId = req.report.id;
      if (closed.length) details.closedReports = closed;
      if (req.durationMinutes) details.durationMinutes = req.durationMinutes;
      if (outcome.mutedUntil) details.mutedUntil = outcome.mutedUntil;
      if (outcome.suspendedUntil) details.suspendedUntil = outcome.suspendedUntil;
      if (outcome.contentStatus) details.contentStatus = outcome.contentStatus;
      const entry = await this.audit.append(manager, {
        actorId: user.id,
        action: AUDIT_ACTION[req.action],
        targetType: personAction ? 'user' : req.targetType,
        targetId: personAction ? personId : req.targetId,
        groupId,
        reason: req.reason,
        details,
      });
      return { outcome, closed, auditSeq: entry.seq };
    });
    await after.run();
    const report = req.report && (await this.reports.findById(req.report.id));
    return {
      action: req.action,
      reason: req.reason,
      targetType: req.targetType,
      targetId: req.targetId,
      groupId,
      ...(report ? { report: QueueItemDto.of(report, null) } : {}),
      closedReports: result.closed,
      ...result.outcome,
      auditSeq: result.auditSeq,
    };
  }

  /**
   * The status the content moves to: hide, remove and restore as asked; a dismissal shows again
   * content that the report threshold hid (content a moderator hid has no open reports left, and
   * members cannot report what they cannot see).
   */
  private async contentStatus(req: ActionRequest, loaded: LoadedContent, manager: EntityManager) {
    if (req.action === 'hide' || req.action === 'remove' || req.action === 'restore') {
      return this.contents.next(req.action, loaded.content);
    }
    if (
      req.action === 'dismiss' &&
      loaded.content.status === 'hidden' &&
      (await this.reports.hasOpenReports(req.targetId, manager))
    ) {
      return 'published' as const;
    }
    return undefined;
  }

  /**
   * The content acted on. A report of content its author deleted since can still be dismissed
   * (and so leave the queue); any other action on it is a 404.
   */
  private async loadTarget(req: ActionRequest): Promise<LoadedContent | undefined> {
    try {
      return await this.contents.load(req.targetType as ContentType, req.targetId);
    } catch (error) {
      const gone =
        error instanceof ModerationException &&
        error.code === ModerationErrorCode.ActionTargetNotFound;
      if (gone && req.action === 'dismiss' && req.report) return undefined;
      throw error;
    }
  }

  /** A group's moderators act in it (404 where the group is hidden); staff act on user reports. */
  private async assertModerates(
    user: AuthUser,
    groupId: string | null,
    hidden: () => Error,
  ): Promise<void> {
    if (!groupId) {
      if (user.role !== 'admin' && user.role !== 'moderator') {
        throw new ModerationException(ModerationErrorCode.ModeratorRequired);
      }
      return;
    }
    try {
      await this.policy.moderate(groupId, user);
    } catch (error) {
      if (
        error instanceof CommunitiesException &&
        error.code === CommunitiesErrorCode.GroupNotFound
      ) {
        throw hidden();
      }
      throw error;
    }
  }

  private async assertUserExists(userId: string): Promise<void> {
    const found = await this.users.publicProfiles([userId]);
    if (!found.has(userId)) throw new ModerationException(ModerationErrorCode.ActionTargetNotFound);
  }
}

function reportNotFound(): ModerationException {
  return new ModerationException(ModerationErrorCode.ReportNotFound);
}

function resolvedAlready(): ModerationException {
  return new ModerationException(
    ModerationErrorCode.ReportResolved,
    'Another moderator (or you) resolved it already.',
  );
}
