import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { Clock, type Page, type PageQueryDto } from '@kinship/common';
import { GroupService } from '@kinship/communities';
import type { AuthUser } from '@kinship/identity';
import { NoticeDto } from '../dto/notice.dto';
import type { NoticeEntity, NoticeKind } from '../entities/notice.entity';
import { MODERATION_NOTICE, type ModerationNoticeEvent } from '../moderation.events';
import { NoticeRepository } from '../repositories/notice.repository';
import type { AfterCommit } from './after-commit';

export interface NewNotice {
  userId: string;
  kind: NoticeKind;
  groupId: string | null;
  targetType?: string | null;
  targetId?: string | null;
  reason: string;
  until?: Date | null;
}

/**
 * Members are told about decisions that concern them: a notice they can list (GET /me/notices),
 * and at once on their sockets (`moderation:warning` for a warning, `moderation:notice` else).
 */
@Injectable()
export class NoticeService {
  constructor(
    private readonly notices: NoticeRepository,
    private readonly groups: GroupService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
  ) {}

  /** Stored in the action's transaction; sent after its commit. */
  async create(manager: EntityManager, input: NewNotice, after: AfterCommit): Promise<void> {
    const notice = await this.notices.insert(
      {
        userId: input.userId,
        kind: input.kind,
        groupId: input.groupId,
        targetType: input.targetType ?? null,
        targetId: input.targetId ?? null,
        reason: input.reason,
        until: input.until ?? null,
        createdAt: this.clock.now(),
      },
      manager,
    );
    after.add(async () => {
      const [dto] = await this.present([notice]);
      const event: ModerationNoticeEvent = { userId: input.userId, notice: { ...dto } };
      this.events.emit(MODERATION_NOTICE, event);
    });
  }

  async list(user: AuthUser, query: PageQueryDto): Promise<Page<NoticeDto>> {
    const page = await this.notices.list(user.id, query);
    return { items: await this.present(page.items), nextCursor: page.nextCursor };
  }

  private async present(items: NoticeEntity[]): Promise<NoticeDto[]> {
    const names = await this.groups.names(
      items.map((n) => n.groupId).filter((g): g is string => !!g),
    );
    return items.map((n) =>
      NoticeDto.of(n, n.groupId ? (names.get(n.groupId) ?? { id: n.groupId, name: '' }) : null),
    );
  }
}
