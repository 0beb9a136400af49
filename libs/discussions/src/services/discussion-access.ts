import { Injectable } from '@nestjs/common';
import {
  assertCanWrite,
  CommunitiesErrorCode,
  CommunitiesException,
  type GroupAccess,
  GroupAccessPolicy,
} from '@kinship/communities';
import type { AuthUser } from '@kinship/identity';
import { DiscussionsErrorCode, DiscussionsException } from '../discussions.exception';
import type { PostEntity } from '../entities/post.entity';
import type { ThreadEntity } from '../entities/thread.entity';
import { isVisibleTo, PostRepository } from '../repositories/post.repository';
import { ThreadRepository } from '../repositories/thread.repository';

export type AccessMode = 'view' | 'write';

/**
 * Resolves a thread or post to its group and asks the one access policy (GroupAccessPolicy)
 * whether the caller may read or write there. A thread or post in a group the caller cannot see
 * answers exactly like an unknown id, so a 404 never confirms that hidden content exists.
 */
@Injectable()
export class DiscussionAccess {
  constructor(
    private readonly policy: GroupAccessPolicy,
    private readonly threads: ThreadRepository,
    private readonly posts: PostRepository,
  ) {}

  /** The group's access for a group route (its own 404 is the group's). */
  group(groupId: string, user: AuthUser | undefined, mode: AccessMode): Promise<GroupAccess> {
    return mode === 'write' ? this.policy.write(groupId, user!) : this.policy.view(groupId, user);
  }

  async thread(
    threadId: string,
    user: AuthUser | undefined,
    mode: AccessMode,
  ): Promise<{ thread: ThreadEntity; access: GroupAccess }> {
    const found = await this.threads.findVisibleWithFirstPost(threadId);
    if (!found) throw DiscussionsException.threadNotFound();
    const { firstPostStatus, firstPostAuthorId, ...thread } = found;
    const access = await this.hidden(this.group(thread.groupId, user, mode), () =>
      DiscussionsException.threadNotFound(),
    );
    // A thread whose first post is held, hidden or removed is gone for members (its author
    // still sees a held one); moderators see it.
    const shown =
      access.isModerator ||
      firstPostStatus === 'published' ||
      (firstPostStatus === 'pending_review' && !!user && firstPostAuthorId === user.id);
    if (!shown) throw DiscussionsException.threadNotFound();
    return { thread: thread as ThreadEntity, access };
  }

  /** An undeleted post the caller can see; `write` also needs the right to write in the group. */
  async post(
    postId: string,
    user: AuthUser | undefined,
    mode: AccessMode,
  ): Promise<{ post: PostEntity; access: GroupAccess }> {
    const post = await this.posts.findVisible(postId);
    if (!post) throw DiscussionsException.postNotFound();
    const access = await this.hidden(this.policy.view(post.groupId, user), () =>
      DiscussionsException.postNotFound(),
    );
    if (!isVisibleTo(post, { userId: user?.id, isModerator: access.isModerator })) {
      throw DiscussionsException.postNotFound();
    }
    if (mode === 'write') assertCanWrite(access);
    return { post, access };
  }

  /**
   * Edit and delete: a moderator of the group, or the author while still allowed to write there
   * (a member who left or was banned no longer changes what the group reads).
   */
  assertCanChange(post: PostEntity, access: GroupAccess, user: AuthUser): void {
    if (access.isModerator) return;
    if (post.authorId !== user.id) {
      throw new DiscussionsException(DiscussionsErrorCode.AuthorOrModeratorRequired);
    }
    assertCanWrite(access);
  }

  private async hidden<T>(decision: Promise<T>, notFound: () => Error): Promise<T> {
    try {
      return await decision;
    } catch (error) {
      if (
        error instanceof CommunitiesException &&
        error.code === CommunitiesErrorCode.GroupNotFound
      ) {
        throw notFound();
      }
      throw error;
    }
  }
}
