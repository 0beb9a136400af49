import { Injectable } from '@nestjs/common';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { type GroupSettings, SettingsRepository } from '../repositories/settings.repository';
import { ContentRegistry } from './content-registry';

/** Who is writing: slow mode and first-post approval apply to members, not to moderators. */
export interface Writer {
  userId: string;
  /** `posts`: threads and replies; `chat`: chat messages. Each has its own slow-mode clock. */
  channel: 'posts' | 'chat';
  moderator: boolean;
}

/**
 * The group settings that shape new posts and messages: first-post approval (hold until a
 * moderator approved one) and slow mode (one post per window and channel).
 */
@Injectable()
export class WriteGate {
  /** Members known to have published in a group: trust is never withdrawn, so it is cached. */
  private readonly trusted = new Set<string>();

  constructor(
    private readonly settings: SettingsRepository,
    private readonly registry: ContentRegistry,
  ) {}

  /** True when this post must wait for a moderator: the member never published in the group. */
  async needsApproval(groupId: string, writer: Writer, s: GroupSettings): Promise<boolean> {
    if (!s.firstPostApproval || writer.moderator) return false;
    const key = `${groupId}:${writer.userId}`;
    if (this.trusted.has(key)) return false;
    for (const source of this.registry.all()) {
      if (await source.hasPublished?.(groupId, writer.userId)) {
        if (this.trusted.size > 100_000) this.trusted.clear();
        this.trusted.add(key);
        return false;
      }
    }
    return true;
  }

  /** Takes the member's slot, or refuses with 429 and when to try again. */
  async slowMode(groupId: string, writer: Writer, s: GroupSettings): Promise<void> {
    if (s.slowModeSeconds <= 0 || writer.moderator) return;
    const slot = await this.settings.takeSlot(
      groupId,
      writer.userId,
      writer.channel,
      s.slowModeSeconds,
    );
    if (slot.taken) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(slot.waitMs / 1000));
    throw new ModerationException(
      ModerationErrorCode.SlowMode,
      `Slow mode: one ${writer.channel === 'chat' ? 'message' : 'post'} every ${s.slowModeSeconds} s in this group. Try again in ${retryAfterSeconds} s.`,
      undefined,
      { retryAfterSeconds, slowModeSeconds: s.slowModeSeconds },
    );
  }
}
