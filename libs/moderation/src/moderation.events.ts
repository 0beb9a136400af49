/** Emitted after commit when a report or held/flagged content enters the queue. */
export const MODERATION_REPORT_CREATED = 'moderation.report.created';

export interface ModerationReportCreatedEvent {
  groupId: string | null;
  /** The queue item as the queue answers it (with the held chat message, when there is one). */
  report: Record<string, unknown>;
}

/** Emitted after commit when a member is told about a decision (warning, mute, ban, content). */
export const MODERATION_NOTICE = 'moderation.notice';

export interface ModerationNoticeEvent {
  userId: string;
  /** The notice as GET /me/notices answers it; `kind` tells a warning from the rest. */
  notice: Record<string, unknown> & { kind: string };
}

/** Emitted after commit when a member's mute in a group starts (until set) or is lifted (null). */
export const MEMBER_MUTE_CHANGED = 'moderation.member.mute-changed';

export interface MemberMuteChangedEvent {
  groupId: string;
  userId: string;
  mutedUntil: string | null;
}
