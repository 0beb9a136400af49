import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum ModerationErrorCode {
  ContentBlocked = 'content-blocked',
  RuleNotFound = 'rule-not-found',
  TargetNotFound = 'report-target-not-found',
  AlreadyReported = 'already-reported',
  HeldContentNotFound = 'held-content-not-found',
  ModeratorRequired = 'moderator-required',
  AdminRequired = 'admin-required',
}

const MODERATION_PROBLEMS: Record<ModerationErrorCode, ProblemSpec> = {
  [ModerationErrorCode.ContentBlocked]: {
    status: 422,
    title: 'This content is not allowed in this group',
  },
  [ModerationErrorCode.RuleNotFound]: { status: 404, title: 'Rule not found' },
  // Unknown, or not visible to the reporter: the same answer.
  [ModerationErrorCode.TargetNotFound]: { status: 404, title: 'Nothing to report here' },
  [ModerationErrorCode.AlreadyReported]: { status: 409, title: 'You already reported this' },
  [ModerationErrorCode.HeldContentNotFound]: { status: 404, title: 'No held content with this id' },
  [ModerationErrorCode.ModeratorRequired]: { status: 403, title: 'Only moderators may do this' },
  [ModerationErrorCode.AdminRequired]: { status: 403, title: 'Only admins manage global rules' },
};

export class ModerationException extends AppException {
  constructor(
    code: ModerationErrorCode,
    detail?: string,
    errors?: FieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(code, MODERATION_PROBLEMS[code], detail, errors, extensions);
  }
}
