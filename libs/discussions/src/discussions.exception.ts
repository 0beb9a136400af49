import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum DiscussionsErrorCode {
  ThreadNotFound = 'thread-not-found',
  PostNotFound = 'post-not-found',
  AuthorOrModeratorRequired = 'author-or-moderator-required',
}

const DISCUSSIONS_PROBLEMS: Record<DiscussionsErrorCode, ProblemSpec> = {
  // Unknown, deleted, or in a group the caller may not see: the same answer for all three.
  [DiscussionsErrorCode.ThreadNotFound]: { status: 404, title: 'Thread not found' },
  [DiscussionsErrorCode.PostNotFound]: { status: 404, title: 'Post not found' },
  [DiscussionsErrorCode.AuthorOrModeratorRequired]: {
    status: 403,
    title: "Only the post's author or a group moderator may do this",
  },
};

export class DiscussionsException extends AppException {
  constructor(code: DiscussionsErrorCode, detail?: string, errors?: FieldError[]) {
    super(code, DISCUSSIONS_PROBLEMS[code], detail, errors);
  }

  static threadNotFound(): DiscussionsException {
    return new DiscussionsException(
      DiscussionsErrorCode.ThreadNotFound,
      'The thread does not exist or is not visible to you.',
    );
  }

  static postNotFound(): DiscussionsException {
    return new DiscussionsException(
      DiscussionsErrorCode.PostNotFound,
      'The post does not exist or is not visible to you.',
    );
  }
}
