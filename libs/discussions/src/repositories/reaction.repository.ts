import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { REACTION_KINDS, ReactionEntity, type ReactionKind } from '../entities/reaction.entity';

/** The only place that reads or writes reactions. */
@Injectable()
export class ReactionRepository {
  constructor(
    @InjectRepository(ReactionEntity) private readonly reactions: Repository<ReactionEntity>,
  ) {}

  /** Removes the reaction if it was there; true when it was. */
  async remove(
    postId: string,
    userId: string,
    kind: ReactionKind,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager.delete(ReactionEntity, { postId, userId, kind });
    return (result.affected ?? 0) > 0;
  }

  /** Adds the reaction unless a concurrent call just did; true when this call added it. */
  async add(
    postId: string,
    userId: string,
    kind: ReactionKind,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ReactionEntity)
      .values({ postId, userId, kind })
      .orIgnore()
      .returning(['post_id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** The kinds a member gave, per post, for a page of posts (one query). */
  async kindsBy(
    userId: string,
    postIds: string[],
    manager?: EntityManager,
  ): Promise<Map<string, ReactionKind[]>> {
    const byPost = new Map<string, ReactionKind[]>();
    if (!postIds.length) return byPost;
    const rows: { post_id: string; kind: ReactionKind }[] = await (
      manager ?? this.reactions.manager
    ).query(
      `SELECT post_id, kind FROM post_reactions WHERE user_id = $1 AND post_id = ANY($2::uuid[])`,
      [userId, postIds],
    );
    for (const r of rows) byPost.set(r.post_id, [...(byPost.get(r.post_id) ?? []), r.kind]);
    // A stable order for clients: the order kinds are declared in.
    for (const [id, kinds] of byPost) {
      byPost.set(
        id,
        REACTION_KINDS.filter((k) => kinds.includes(k)),
      );
    }
    return byPost;
  }
}
