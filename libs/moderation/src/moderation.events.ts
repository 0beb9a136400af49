/** Emitted after commit when a report or held/flagged content enters the queue. */
export const MODERATION_REPORT_CREATED = 'moderation.report.created';

export interface ModerationReportCreatedEvent {
  groupId: string | null;
  /** The queue item as the queue answers it (with the held chat message, when there is one). */
  report: Record<string, unknown>;
}
