import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import {
  DiscussionsPersonalDataRepository,
  type PostExportRow,
  type ReactionExportRow,
  type ThreadExportRow,
} from '../repositories/discussions-personal-data.repository';
import { AuthorDirectory } from './author-directory';

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** Posts presented together (their edits and editors fetched in one go). */
const EXPORT_BATCH = 200;

/**
 * Threads the member started. On erasure a thread stays readable for the group when it is
 * visible (its first post published): author shown as a deleted member, title and first post
 * kept. Any other thread of theirs loses its title and is deleted.
 */
@Injectable()
export class ThreadPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'threads';
  readonly rank = 20;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: DiscussionsPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<ThreadExportRow>((after, n) => this.repo.threads(userId, after, n));
    for await (const t of rows) {
      yield {
        id: t.id,
        groupId: t.groupId,
        title: t.title,
        createdAt: t.createdAt.toISOString(),
        deletedAt: iso(t.deletedAt),
      };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { removed: await this.repo.eraseThreads(userId, manager) } };
  }
}

/**
 * Posts the member wrote, with their edit history. On erasure every reply goes (text wiped,
 * gone for readers); the first posts of threads that stay readable are kept; all edit history
 * of their posts goes.
 */
@Injectable()
export class PostPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'posts';
  readonly rank = 21;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: DiscussionsPersonalDataRepository,
    private readonly authors: AuthorDirectory,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** Posts a page at a time, each page with its edits and their editors (three queries). */
  async *export(userId: string): AsyncIterable<object> {
    let page: PostExportRow[] = [];
    for await (const p of streamPages<PostExportRow>((after, n) =>
      this.repo.posts(userId, after, n),
    )) {
      page.push(p);
      if (page.length < EXPORT_BATCH) continue;
      yield* await this.present(page);
      page = [];
    }
    yield* await this.present(page);
  }

  private async present(page: PostExportRow[]): Promise<object[]> {
    const edits = await this.repo.edits(page.map((p) => p.id));
    const editor = await this.authors.for([...new Set(edits.map((e) => e.editorId))]);
    return page.map((p) => ({
      id: p.id,
      threadId: p.threadId,
      groupId: p.groupId,
      replyToPostId: p.replyToPostId,
      body: p.body,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      editedAt: iso(p.editedAt),
      deletedAt: iso(p.deletedAt),
      edits: edits
        .filter((e) => e.postId === p.id)
        .map((e) => ({
          previousBody: e.previousBody,
          editor: editor(e.editorId),
          editedAt: e.editedAt.toISOString(),
        })),
    }));
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    const { removed, kept, edits } = await this.repo.erasePosts(userId, manager);
    return { counts: { removed, kept, editsRemoved: edits } };
  }
}

/** Reactions the member gave; on erasure they are taken back (counters included). */
@Injectable()
export class ReactionPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'reactions';
  readonly rank = 22;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: DiscussionsPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<ReactionExportRow>((after, n) =>
      this.repo.reactions(userId, after, n),
    );
    for await (const r of rows) {
      yield { postId: r.postId, kind: r.kind, createdAt: r.createdAt.toISOString() };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { removed: await this.repo.eraseReactions(userId, manager) } };
  }
}
