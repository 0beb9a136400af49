import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  MEMBER_MUTE_CHANGED,
  type MemberMuteChangedEvent,
  MODERATION_NOTICE,
  MODERATION_REPORT_CREATED,
  type ModerationNoticeEvent,
  type ModerationReportCreatedEvent,
} from '@kinship/moderation';
import { ChatBroadcaster } from './chat.broadcaster';

/** Moderation's domain events, turned into what live sockets hear and may do. */
@Injectable()
export class ModerationEventsListener {
  constructor(private readonly broadcaster: ChatBroadcaster) {}

  /** New reports and held or flagged content reach the group's moderators at once. */
  @OnEvent(MODERATION_REPORT_CREATED)
  onModerationReport(event: ModerationReportCreatedEvent): void {
    if (event.groupId) {
      this.broadcaster.toGroupModerators(event.groupId)?.emit('moderation:report', event.report);
    }
  }

  /** A member hears about moderation decisions concerning them at once. */
  @OnEvent(MODERATION_NOTICE)
  onNotice(event: ModerationNoticeEvent): void {
    const name = event.notice.kind === 'warning' ? 'moderation:warning' : 'moderation:notice';
    this.broadcaster.toUser(event.userId)?.emit(name, event.notice);
  }

  /** A mute marks the member's sockets (their sends then take the full check); lifting unmarks. */
  @OnEvent(MEMBER_MUTE_CHANGED)
  onMuteChanged(event: MemberMuteChangedEvent): void {
    this.broadcaster.setMuted(event.userId, event.groupId, !!event.mutedUntil);
  }
}
