import { CommonException } from '@kinship/common';
import type { ModerationAction } from '../dto/action.dto';
import type { ModerationReportEntity, TargetType } from '../entities/moderation-report.entity';

/** What a moderator asked for, from a report or directly. */
export interface ActionRequest {
  action: ModerationAction;
  reason: string;
  durationMinutes?: number;
  targetType: TargetType;
  targetId: string;
  /** For a user target: the group named by the moderator (a report of a user has none). */
  groupId?: string | null;
  report?: ModerationReportEntity;
}

export const AUDIT_ACTION: Record<ModerationAction, string> = {
  dismiss: 'report.dismiss',
  hide: 'content.hide',
  remove: 'content.remove',
  restore: 'content.restore',
  warn: 'member.warn',
  mute: 'member.mute',
  unmute: 'member.unmute',
  ban: 'member.ban',
  unban: 'member.unban',
  suspend: 'user.suspend',
};
export const RESOLUTION: Record<ModerationAction, string> = {
  dismiss: 'dismissed',
  hide: 'hidden',
  remove: 'removed',
  restore: 'restored',
  warn: 'warned',
  mute: 'muted',
  unmute: 'unmuted',
  ban: 'banned',
  unban: 'unbanned',
  suspend: 'suspended',
};
export const CONTENT_ACTIONS = new Set<ModerationAction>(['hide', 'remove', 'restore']);
export const GROUP_ACTIONS = new Set<ModerationAction>(['mute', 'unmute', 'ban', 'unban']);
/** Actions that decide about the target itself: every open report of it is closed with them. */
export const SETTLING = new Set<ModerationAction>(['dismiss', 'hide', 'remove', 'restore']);

/** Field rules of durationMinutes and of targets; 400 before anything is read. */
export function validateAction(req: ActionRequest): void {
  const needsDuration = req.action === 'mute';
  const takesDuration = needsDuration || req.action === 'suspend';
  if (needsDuration && !req.durationMinutes) {
    throw CommonException.validation([
      { field: 'durationMinutes', message: 'is required for a mute' },
    ]);
  }
  if (!takesDuration && req.durationMinutes !== undefined) {
    throw CommonException.validation([
      { field: 'durationMinutes', message: 'applies to mute and suspend only' },
    ]);
  }
  if (req.targetType === 'user' && CONTENT_ACTIONS.has(req.action)) {
    throw CommonException.validation([
      { field: 'action', message: `${req.action} applies to posts, threads and messages` },
    ]);
  }
}
