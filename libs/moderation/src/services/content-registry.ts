import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@kinship/identity';
import type { EntityManager } from 'typeorm';
import type { TargetType } from '../entities/moderation-report.entity';

export type ContentType = Exclude<TargetType, 'user'>;

/** What moderation moves content to: approve/restore, hide, reject/remove. */
export type ModerationStatus = 'published' | 'hidden' | 'removed';

export interface ModeratedContent {
  id: string;
  type: ContentType;
  groupId: string;
  authorId: string;
  /** published, pending_review, hidden or removed (a thread answers its first post's). */
  status: string;
}

/**
 * What a feature (discussions, chat) lets moderation do with its content. Moderation never
 * reads another feature's tables: the owning library registers a source at start.
 */
export interface ContentSource {
  readonly type: ContentType;
  /** The content if this user may see it (else null, answered as a 404). */
  findVisible(id: string, user: AuthUser): Promise<ModeratedContent | null>;
  /** The content, whatever its status (removed content may be gone), to moderators. */
  find(id: string, manager?: EntityManager): Promise<ModeratedContent | null>;
  /** What a moderator needs to judge it, by id (body, thread title, neighbouring messages…). */
  context(ids: string[]): Promise<Map<string, Record<string, unknown>>>;
  /**
   * Moves content to a moderation status in the caller's transaction, keeping the owner's
   * counters right (a thread's replies and last activity count published replies only).
   * `actorId` is null when the platform acts by itself.
   */
  setStatus?(
    id: string,
    status: ModerationStatus,
    manager: EntityManager,
    actorId: string | null,
  ): Promise<void>;
  /**
   * After commit: what readers must see now, e.g. chat broadcasts an approved or restored
   * message and sends `chat:removed` for a hidden or removed one. `content.status` is the
   * status before the change.
   */
  afterStatusChange?(content: ModeratedContent, status: ModerationStatus): Promise<void>;
  /** Whether the author has published content of this kind in the group (first-post approval). */
  hasPublished?(groupId: string, authorId: string): Promise<boolean>;
}

@Injectable()
export class ContentRegistry {
  private readonly sources = new Map<ContentType, ContentSource>();

  register(source: ContentSource): void {
    this.sources.set(source.type, source);
  }

  get(type: ContentType): ContentSource | undefined {
    return this.sources.get(type);
  }

  all(): ContentSource[] {
    return [...this.sources.values()];
  }
}
