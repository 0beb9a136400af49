import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@kinship/database';
import { EngagementRecorder } from '@kinship/engagement';
import type { AuthUser } from '@kinship/identity';
import { countsOf } from '../dto/post.dto';
import type { ReactionStateDto } from '../dto/reaction.dto';
import type { ReactionKind } from '../entities/reaction.entity';
import { PostRepository } from '../repositories/post.repository';
import { ReactionRepository } from '../repositories/reaction.repository';
import { DiscussionAccess } from './discussion-access';

@Injectable()
export class ReactionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DiscussionAccess,
    private readonly posts: PostRepository,
    private readonly reactions: ReactionRepository,
    private readonly recorder: EngagementRecorder,
  ) {}

  /**
   * Toggles one kind of reaction of the caller on a post: removes it when given, adds it
   * otherwise (recording `reaction_given`). Counters move in the same transaction.
   */
  async toggle(user: AuthUser, postId: string, kind: ReactionKind): Promise<ReactionStateDto> {
    const { post } = await this.access.post(postId, user, 'write');
    return inTransaction(this.dataSource, async (manager) => {
      const removed = await this.reactions.remove(postId, user.id, kind, manager);
      const added = !removed && (await this.reactions.add(postId, user.id, kind, manager));
      // Neither: a concurrent call of the same member added it first; nothing changes here.
      const counts =
        removed || added
          ? await this.posts.adjustReactionCount(postId, kind, added ? 1 : -1, manager)
          : post;
      if (added) {
        await this.recorder.record(manager, {
          userId: user.id,
          groupId: post.groupId,
          kind: 'reaction_given',
          objectId: postId,
        });
      }
      const mine = await this.reactions.kindsBy(user.id, [postId], manager);
      return {
        postId,
        kind,
        given: !removed,
        reactions: countsOf(counts),
        myReactions: mine.get(postId) ?? [],
      };
    });
  }
}
