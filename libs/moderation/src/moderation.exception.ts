import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum ModerationErrorCode {
  ContentBlocked = 'content-blocked',
  RuleNotFound = 'rule-not-found',
  TargetNotFound = 'report-target-not-found',
  AlreadyReported = 'already-reported',
  HeldContentNotFound = 'held-content-not-found',
  ModeratorRequired = 'moderator-required',
  AdminRequired = 'admin-required',
  ReportNotFound = 'report-not-found',
  ReportResolved = 'report-already-resolved',
  HeldDecision = 'held-content-decision',
  ActionTargetNotFound = 'action-target-not-found',
  ContentState = 'content-state',
  TargetIsModerator = 'target-is-moderator',
  OwnAccount = 'own-account',
  SlowMode = 'slow-mode',
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
  [ModerationErrorCode.AdminRequired]: { status: 403, title: 'Only admins may do this' },
  [ModerationErrorCode.ReportNotFound]: { status: 404, title: 'Report not found' },
  [ModerationErrorCode.ReportResolved]: { status: 409, title: 'This report is resolved already' },
  [ModerationErrorCode.HeldDecision]: {
    status: 409,
    title: 'Held content is approved or rejected, not resolved',
  },
  [ModerationErrorCode.ActionTargetNotFound]: { status: 404, title: 'No such content or user' },
  [ModerationErrorCode.ContentState]: {
    status: 409,
    title: 'The content is not in a state this action applies to',
  },
  [ModerationErrorCode.TargetIsModerator]: {
    status: 409,
    title: 'Moderators of the group cannot be muted or banned in it',
  },
  [ModerationErrorCode.OwnAccount]: { status: 409, title: 'Moderators do not act on themselves' },
  [ModerationErrorCode.SlowMode]: { status: 429, title: 'Slow mode is on in this group' },
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
