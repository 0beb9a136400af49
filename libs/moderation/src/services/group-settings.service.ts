import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_KEYS, Clock, CommonException, InvalidationBus } from '@kinship/common';
import { GroupAccessPolicy } from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { AuditLog } from '../audit/audit-log';
import { GroupSettingsDto, type UpdateGroupSettingsDto } from '../dto/settings.dto';
import {
  DEFAULT_SETTINGS,
  type GroupSettings,
  SettingsRepository,
} from '../repositories/settings.repository';

/**
 * Settings are read at most this often per group and process. A change drops them at once on
 * every process (the invalidation bus, through Redis with REDIS_URL); this bounds how long a
 * process that missed the message (Redis away) applies the old settings.
 */
export const SETTINGS_CACHE_TTL_MS = 5_000;

/** Invalidation topic: the key is the group whose settings changed. */
const SETTINGS_TOPIC = 'moderation:settings';

const FIELDS = ['slowModeSeconds', 'firstPostApproval', 'reportHideThreshold'] as const;

/** A group's moderation settings: slow mode, first-post approval, the report threshold. */
@Injectable()
export class GroupSettingsService implements OnModuleInit {
  private readonly cache = new Map<string, { settings: Promise<GroupSettings>; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: GroupAccessPolicy,
    private readonly settings: SettingsRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    void this.bus.subscribe(SETTINGS_TOPIC, (groupId) => {
      if (groupId === ALL_KEYS) this.cache.clear();
      else this.cache.delete(groupId);
    });
  }

  /** Whoever can see the group can read its settings (clients show slow mode, for instance). */
  async get(user: AuthUser | undefined, groupId: string): Promise<GroupSettingsDto> {
    await this.policy.view(groupId, user);
    return GroupSettingsDto.of(groupId, await this.of(groupId));
  }

  /** The group's moderators change them; every change is audited in its transaction. */
  async update(
    user: AuthUser,
    groupId: string,
    dto: UpdateGroupSettingsDto,
  ): Promise<GroupSettingsDto> {
    if (FIELDS.every((f) => dto[f] === undefined)) {
      throw CommonException.validation([
        { field: 'slowModeSeconds', message: 'send at least one setting to change' },
      ]);
    }
    await this.policy.moderate(groupId, user);
    const saved = await inTransaction(this.dataSource, async (manager) => {
      const row = await this.settings.lock(groupId, manager);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const next = {
        slowModeSeconds: dto.slowModeSeconds ?? row.slowModeSeconds,
        firstPostApproval: dto.firstPostApproval ?? row.firstPostApproval,
        reportHideThreshold:
          dto.reportHideThreshold === undefined
            ? row.reportHideThreshold
            : (dto.reportHideThreshold ?? 0),
      };
      for (const f of FIELDS) {
        if (next[f] !== row[f]) changes[f] = { from: row[f], to: next[f] };
      }
      if (!Object.keys(changes).length) return row;
      Object.assign(row, next, { updatedAt: this.clock.now(), updatedBy: user.id });
      await this.settings.save(row, manager);
      await this.audit.append(manager, {
        actorId: user.id,
        action: 'settings.update',
        targetType: 'group',
        targetId: groupId,
        groupId,
        details: { changes },
      });
      return row;
    });
    // After commit: every process reads the new settings for its next write in the group.
    await this.bus.publish(SETTINGS_TOPIC, groupId);
    return GroupSettingsDto.of(groupId, saved);
  }

  /** The settings write paths apply, from a short per-process cache (no query per message). */
  of(groupId: string): Promise<GroupSettings> {
    const now = Date.now();
    const hit = this.cache.get(groupId);
    if (hit && hit.until > now) return hit.settings;
    if (this.cache.size > 10_000) this.cache.clear();
    const settings = this.settings.find(groupId).then((row) => {
      const { slowModeSeconds, firstPostApproval, reportHideThreshold } = row ?? DEFAULT_SETTINGS;
      return { slowModeSeconds, firstPostApproval, reportHideThreshold };
    });
    settings.catch(() => this.cache.delete(groupId));
    this.cache.set(groupId, { settings, until: now + SETTINGS_CACHE_TTL_MS });
    return settings;
  }
}
