import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@kinship/identity';
import type { EntityManager } from 'typeorm';
import type { TargetType } from '../entities/moderation-report.entity';

export type ContentType = Exclude<TargetType, 'user'>;

export interface ModeratedContent {
  id: string;
  type: ContentType;
  groupId: string;
  authorId: string;
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
  /** The content, whatever its status, to moderators. */
  find(id: string, manager?: EntityManager): Promise<ModeratedContent | null>;
  /** What a moderator needs to judge it, by id (body, thread title, neighbouring messages…). */
  context(ids: string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Moves held content to `published` or `removed`, in the caller's transaction. */
  setStatus?(id: string, status: 'published' | 'removed', manager: EntityManager): Promise<void>;
  /** After commit: e.g. chat broadcasts an approved message. */
  afterStatusChange?(content: ModeratedContent, status: 'published' | 'removed'): Promise<void>;
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
}
