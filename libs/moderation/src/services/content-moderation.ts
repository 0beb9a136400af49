import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import type { AfterCommit } from './after-commit';
import {
  type ContentSource,
  type ContentType,
  ContentRegistry,
  type ModeratedContent,
  type ModerationStatus,
} from './content-registry';
import { NoticeService } from './notice.service';

export interface LoadedContent {
  source: ContentSource & Required<Pick<ContentSource, 'setStatus'>>;
  content: ModeratedContent;
}

/** Which moves each action may make: anything else is a 409 `content-state`. */
const ALLOWED: Record<'hide' | 'remove' | 'restore', string[]> = {
  hide: ['published', 'hidden'],
  remove: ['published', 'hidden', 'pending_review'],
  restore: ['hidden'],
};
const TARGET_STATUS = { hide: 'hidden', remove: 'removed', restore: 'published' } as const;

/** Moves posts, threads and messages between statuses through their owners' content sources. */
@Injectable()
export class ContentModeration {
  constructor(
    private readonly registry: ContentRegistry,
    private readonly notices: NoticeService,
  ) {}

  /** The content whatever its status, or a 404. */
  async load(type: ContentType, id: string, manager?: EntityManager): Promise<LoadedContent> {
    const source = this.registry.get(type);
    const content = source?.setStatus ? await source.find(id, manager) : null;
    if (!source?.setStatus || !content) {
      throw new ModerationException(ModerationErrorCode.ActionTargetNotFound);
    }
    return { source: source as LoadedContent['source'], content };
  }

  /** The status `action` leads to from the content's current one (409 when it cannot). */
  next(action: 'hide' | 'remove' | 'restore', content: ModeratedContent): ModerationStatus {
    if (!ALLOWED[action].includes(content.status)) {
      throw new ModerationException(
        ModerationErrorCode.ContentState,
        content.status === 'pending_review'
          ? 'This content is held: approve or reject it.'
          : `Cannot ${action} content that is ${content.status.replace('_', ' ')}.`,
      );
    }
    return TARGET_STATUS[action];
  }

  /**
   * Moves the content in the caller's transaction; after the commit, the owner makes it visible
   * or takes it away (e.g. `chat:removed`). A moderator's hide or removal is told to the author.
   */
  async move(
    manager: EntityManager,
    loaded: LoadedContent,
    status: ModerationStatus,
    by: { actorId: string | null; reason: string; notify: boolean },
    after: AfterCommit,
  ): Promise<void> {
    const { source, content } = loaded;
    if (content.status === status) return;
    await source.setStatus(content.id, status, manager, by.actorId);
    if (by.notify && status !== 'published') {
      await this.notices.create(
        manager,
        {
          userId: content.authorId,
          kind: status === 'hidden' ? 'content_hidden' : 'content_removed',
          groupId: content.groupId,
          targetType: content.type,
          targetId: content.id,
          reason: by.reason,
        },
        after,
      );
    }
    after.add(() => source.afterStatusChange?.(content, status));
  }
}
