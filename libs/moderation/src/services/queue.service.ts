import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, type Page } from '@kinship/common';
import { GroupAccessPolicy, GroupService } from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import { type AuthUser, UserService } from '@kinship/identity';
import { AuditLog } from '../audit/audit-log';
import { HeldReads } from '../audit/held-reads';
import { type HeldDecisionDto, QueueItemDto, type QueueQueryDto } from '../dto/queue.dto';
import type { ModerationReportEntity } from '../entities/moderation-report.entity';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { type QueueScope, ReportRepository } from '../repositories/report.repository';
import { AfterCommit } from './after-commit';
import { ContentModeration } from './content-moderation';
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
    private readonly contents: ContentModeration,
    private readonly audit: AuditLog,
    private readonly heldReads: HeldReads,
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
    // Held content shown to a moderator is a read the audit log records.
    await this.heldReads.record(
      user,
      items
        .filter((i) => i.kind === 'held' && i.status === 'open' && i.groupId)
        .map((i) => ({
          type: i.targetType as 'post' | 'message',
          id: i.targetId,
          groupId: i.groupId!,
          authorId: heldAuthor(i.target),
        })),
      'queue',
    );
    return { items, nextCursor: page.nextCursor };
  }

  approve(user: AuthUser, contentId: string): Promise<HeldDecisionDto> {
    return this.decide(user, contentId, 'published', null);
  }

  reject(user: AuthUser, contentId: string, reason: string): Promise<HeldDecisionDto> {
    return this.decide(user, contentId, 'removed', reason);
  }

  /**
   * Publishes or removes held content and closes its queue item(s), with the audit entry, in one
   * transaction. A rejection is told to the author.
   */
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
    // Held content of a group one does not moderate is as unknown as an id nobody has.
    await this.policy.moderate(held.groupId, user).catch(() => {
      throw notFound();
    });
    const after = new AfterCommit();
    const content = await inTransaction(this.dataSource, async (manager) => {
      const item = await this.reports.findOpenHeld(contentId, manager);
      const loaded =
        item &&
        (await this.contents
          .load(item.targetType as ContentType, contentId, manager)
          .catch(() => null));
      if (!item || !loaded || loaded.content.status !== 'pending_review') throw notFound();
      await this.contents.move(
        manager,
        loaded,
        status,
        { actorId: user.id, reason: reason ?? '', notify: status === 'removed' },
        after,
      );
      const approved = status === 'published';
      await this.reports.resolve(
        contentId,
        approved,
        { by: user.id, as: approved ? 'approved' : 'rejected', reason, at: this.clock.now() },
        manager,
      );
      await this.audit.append(manager, {
        actorId: user.id,
        action: approved ? 'content.approve' : 'content.reject',
        targetType: loaded.content.type,
        targetId: contentId,
        groupId: loaded.content.groupId,
        reason,
        details: { reportId: item.id, authorId: loaded.content.authorId },
      });
      return loaded.content;
    });
    await after.run();
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

/** The author of a held item, from its context (the post's or the message's). */
function heldAuthor(target: Record<string, unknown> | undefined): string {
  const post = target?.post as { authorId?: string } | undefined;
  const message = target?.message as { author?: { id?: string } } | undefined;
  return post?.authorId ?? message?.author?.id ?? '';
}
