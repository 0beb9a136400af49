import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { ALL_KEYS, InvalidationBus } from '@kinship/common';
import { detectCrisis } from '../detectors/crisis.detector';
import { detectPrivacy } from '../detectors/privacy.detector';
import type { ModerationReportEntity, TargetType } from '../entities/moderation-report.entity';
import { moderationConfig } from '../moderation.config';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { MODERATION_REPORT_CREATED, type ModerationReportCreatedEvent } from '../moderation.events';
import { RuleRepository } from '../repositories/rule.repository';
import { ReportRepository } from '../repositories/report.repository';
import { type CompiledRule, compileRule, matchRules, prepare } from '../screening/rule-matcher';
import {
  type Category,
  type CrisisResource,
  decide,
  type ScreeningResult,
  URGENCY,
} from '../screening/screening.types';
import { QueueItemDto } from '../dto/queue.dto';
import { GroupSettingsService } from './group-settings.service';
import { type Writer, WriteGate } from './write-gate';

/**
 * Rules are read at most this often per group and process. A change drops them at once on every
 * process (the invalidation bus, through Redis with REDIS_URL); this bounds how long a process
 * that missed the message (Redis away) applies the old rules.
 */
export const RULE_CACHE_TTL_MS = 5_000;

/** Invalidation topic: the key is the group whose rules changed, or ALL_KEYS for a global rule. */
const RULES_TOPIC = 'moderation:rules';

/** What a write path stores and answers after screening (a block never gets here: it throws). */
export interface Screening {
  result: ScreeningResult;
  status: 'published' | 'pending_review';
  /** Members to add to the answer: `screening` when held or flagged, `crisisResources` in a crisis. */
  answer: {
    screening?: { action: 'hold' | 'flag'; category: Category; detail?: string };
    crisisResources?: CrisisResource[];
  };
}

/**
 * The one screening pipeline of every write path (thread, reply, edit, chat over socket and
 * REST): normalise → group and global rules → built-in detectors → publish / hold / block / flag.
 * Blocking throws a 422 `content-blocked`; holding and flagging are recorded in the caller's
 * transaction with `record`, then announced to moderators with `announce` after commit.
 */
@Injectable()
export class ScreeningService implements OnModuleInit {
  private readonly cache = new Map<string, { rules: Promise<CompiledRule[]>; until: number }>();

  constructor(
    private readonly rules: RuleRepository,
    private readonly reports: ReportRepository,
    private readonly events: EventEmitter2,
    private readonly settings: GroupSettingsService,
    private readonly gate: WriteGate,
    @Inject(moderationConfig.KEY) private readonly config: ConfigType<typeof moderationConfig>,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    void this.bus.subscribe(RULES_TOPIC, (groupId) => {
      if (groupId === ALL_KEYS) this.cache.clear();
      else this.cache.delete(groupId);
    });
  }

  /**
   * `writer` is given for new posts and messages (not for edits): the group's settings then apply
   * too, first-post approval (a hold) and slow mode (a 429, checked last, so that only a write that
   * will be stored uses the member's slot).
   */
  async screen(groupId: string, parts: string[], writer?: Writer): Promise<Screening> {
    const text = parts.join('\n');
    const prepared = prepare(text);
    const [rules, settings] = await Promise.all([
      this.rulesOf(groupId),
      writer ? this.settings.of(groupId) : undefined,
    ]);
    const reasons = matchRules(rules, prepared);
    const crisis = detectCrisis(prepared.variants, prepared.words);
    if (crisis) reasons.push(crisis);
    const privacy = detectPrivacy(prepared.text, this.config.privacyRegion);
    if (privacy) reasons.push(privacy);
    if (writer && settings && (await this.gate.needsApproval(groupId, writer, settings))) {
      reasons.push({
        source: 'first_post',
        action: 'hold',
        category: 'other',
        detail: "A moderator approves new members' first posts in this group.",
      });
    }
    const result = decide(reasons);
    const crisisResources = result.crisis ? this.config.crisisResources : undefined;
    if (result.action === 'block') {
      throw new ModerationException(
        ModerationErrorCode.ContentBlocked,
        `This was not posted: it matches a rule of this group (${result.category}).`,
        undefined,
        { category: result.category, ...(crisisResources ? { crisisResources } : {}) },
      );
    }
    const answer: Screening['answer'] = {};
    if (result.action === 'hold' || result.action === 'flag') {
      answer.screening = {
        action: result.action,
        category: result.category!,
        ...(result.detail ? { detail: result.detail } : {}),
      };
    }
    if (crisisResources) answer.crisisResources = crisisResources;
    if (writer && settings) await this.gate.slowMode(groupId, writer, settings);
    return { result, status: result.action === 'hold' ? 'pending_review' : 'published', answer };
  }

  /** A held or flagged piece of content enters the queue (in the content's transaction). */
  async record(
    manager: EntityManager,
    screening: Screening,
    target: { groupId: string; type: Exclude<TargetType, 'user'>; id: string },
  ): Promise<ModerationReportEntity | undefined> {
    const { action, category, reasons } = screening.result;
    if ((action !== 'hold' && action !== 'flag') || !category) return undefined;
    return this.reports.insert(
      {
        kind: action === 'hold' ? 'held' : 'flag',
        groupId: target.groupId,
        targetType: target.type,
        targetId: target.id,
        reason: category,
        reporterId: null,
        reasons,
        urgency: URGENCY[category],
        status: 'open',
      },
      manager,
    );
  }

  /** After commit: the group's moderators hear of it at once (`moderation:report`). */
  announce(item: ModerationReportEntity | undefined, extra: Record<string, unknown> = {}): void {
    if (!item) return;
    const event: ModerationReportCreatedEvent = {
      groupId: item.groupId,
      report: { ...QueueItemDto.of(item, null), ...extra },
    };
    this.events.emit(MODERATION_REPORT_CREATED, event);
  }

  /**
   * After a committed change of a group's rules (`null`: a global rule, which every group
   * applies), every process forgets the rules it cached. Never rejects.
   */
  invalidate(groupId: string | null): Promise<void> {
    return this.bus.publish(RULES_TOPIC, groupId ?? ALL_KEYS);
  }

  private rulesOf(groupId: string): Promise<CompiledRule[]> {
    const now = Date.now();
    const hit = this.cache.get(groupId);
    if (hit && hit.until > now) return hit.rules;
    if (this.cache.size > 10_000) this.cache.clear();
    const rules = this.rules.forScreening(groupId).then((rows) => rows.map(compileRule));
    // A failed read is not cached: the next message asks again.
    rules.catch(() => this.cache.delete(groupId));
    this.cache.set(groupId, { rules, until: now + RULE_CACHE_TTL_MS });
    return rules;
  }
}
