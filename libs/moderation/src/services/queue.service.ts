import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, type Page } from '@kinship/common';
import { GroupAccessPolicy, GroupService } from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import { type AuthUser, UserService } from '@kinship/identity';
import { type HeldDecisionDto, QueueItemDto, type QueueQueryDto } from '../dto/queue.dto';
import type { ModerationReportEntity } from '../entities/moderation-report.entity';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { type QueueScope, ReportRepository } from '../repositories/report.repository';
import { type ContentType, ContentRegistry } from './content-registry';

/** The moderation queue and the decisions on held content. */
@Injectable()
export class QueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: GroupAccessPolicy,
    private readonly groups: GroupService,
    private readonly registry: ContentRegistry,
    private readonly reports: ReportRepository,
    private readonly users: UserService,
    private readonly clock: Clock,
  ) {}

  /** Group moderators see their groups' items, platform moderators and admins all; others 403. */
  async queue(user: AuthUser, query: QueueQueryDto): Promise<Page<QueueItemDto>> {
    let scope: QueueScope;
    if (query.groupId) {
      await this.policy.moderate(query.groupId, user);
      scope = { all: true };
    } else {
      const moderated = await this.policy.moderatedGroups(user);
      if (moderated !== 'all' && !moderated.length) {
        throw new ModerationException(ModerationErrorCode.ModeratorRequired);
      }
      scope = moderated === 'all' ? { all: true } : { all: false, groupIds: moderated };
    }
    const page = await this.reports.queue(scope, query);
    const items = await this.inContext(user, page.items);
    return { items, nextCursor: page.nextCursor };
  }

  approve(user: AuthUser, contentId: string): Promise<HeldDecisionDto> {
    return this.decide(user, contentId, 'published', null);
  }

  reject(user: AuthUser, contentId: string, reason: string): Promise<HeldDecisionDto> {
    return this.decide(user, contentId, 'removed', reason);
  }

  /** Publishes or removes held content and closes its queue item(s), in one transaction. */
  private async decide(
    user: AuthUser,
    contentId: string,
    status: 'published' | 'removed',
    reason: string | null,
  ): Promise<HeldDecisionDto> {
    const notFound = () => new ModerationException(ModerationErrorCode.HeldContentNotFound);
    const held = await this.reports.openHeldTarget(contentId);
    const source = held && this.registry.get(held.targetType as ContentType);
    if (!held?.groupId || !source?.setStatus) throw notFound();
    await this.policy.moderate(held.groupId, user);
    const content = await inTransaction(this.dataSource, async (manager) => {
      const item = await this.reports.findOpenHeld(contentId, manager);
      const found = item && (await source.find(contentId, manager));
      if (!item || !found || found.status !== 'pending_review') throw notFound();
      await source.setStatus!(contentId, status, manager);
      await this.reports.resolve(
        contentId,
        status === 'published',
        {
          by: user.id,
          as: status === 'published' ? 'approved' : 'rejected',
          reason,
          at: this.clock.now(),
        },
        manager,
      );
      return found;
    });
    await source.afterStatusChange?.({ ...content, status }, status);
    return { contentId, contentType: content.type, status };
  }

  /** Reporter handles, group names and each target as the source describes it. */
  private async inContext(
    user: AuthUser,
    items: ModerationReportEntity[],
  ): Promise<QueueItemDto[]> {
    const reporters = await this.users.publicProfiles(
      items.map((i) => i.reporterId).filter((id): id is string => !!id),
    );
    const contexts = new Map<string, Record<string, unknown>>();
    for (const type of ['post', 'thread', 'message'] as ContentType[]) {
      const ids = items.filter((i) => i.targetType === type).map((i) => i.targetId);
      const source = this.registry.get(type);
      if (ids.length && source) {
        for (const [id, c] of await source.context(ids)) contexts.set(`${type}:${id}`, c);
      }
    }
    const userTargets = await this.users.publicProfiles(
      items.filter((i) => i.targetType === 'user').map((i) => i.targetId),
    );
    userTargets.forEach((u, id) => contexts.set(`user:${id}`, { user: u }));
    // The page is scoped to the caller's groups already: their names come in one query.
    const groupNames = await this.groups.names(
      items.map((i) => i.groupId).filter((g): g is string => !!g),
    );
    return items.map((i) =>
      QueueItemDto.of(i, (i.reporterId && reporters.get(i.reporterId)) || null, {
        ...(contexts.get(`${i.targetType}:${i.targetId}`) ?? { missing: true }),
        ...(i.groupId ? { group: groupNames.get(i.groupId) ?? { id: i.groupId } } : {}),
      }),
    );
  }
}
