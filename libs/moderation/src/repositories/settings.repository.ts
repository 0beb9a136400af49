import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { GroupSettingsEntity } from '../entities/group-settings.entity';

export type GroupSettings = Pick<
  GroupSettingsEntity,
  'slowModeSeconds' | 'firstPostApproval' | 'reportHideThreshold'
>;

export const DEFAULT_SETTINGS: GroupSettings = {
  slowModeSeconds: 0,
  firstPostApproval: false,
  reportHideThreshold: 0,
};

/** The only place that reads or writes group settings and slow-mode slots. */
@Injectable()
export class SettingsRepository {
  constructor(
    @InjectRepository(GroupSettingsEntity)
    private readonly settings: Repository<GroupSettingsEntity>,
  ) {}

  find(groupId: string): Promise<GroupSettingsEntity | null> {
    return this.settings.findOneBy({ groupId });
  }

  /** The row locked for a change (created with the defaults when the group has none yet). */
  async lock(groupId: string, manager: EntityManager): Promise<GroupSettingsEntity> {
    await manager.query(
      `INSERT INTO moderation_group_settings (group_id) VALUES ($1) ON CONFLICT (group_id) DO NOTHING`,
      [groupId],
    );
    return manager
      .getRepository(GroupSettingsEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.group_id = :groupId', { groupId })
      .getOneOrFail();
  }

  save(row: GroupSettingsEntity, manager: EntityManager): Promise<GroupSettingsEntity> {
    return manager.getRepository(GroupSettingsEntity).save(row);
  }

  /**
   * Takes the member's slow-mode slot when the last one is at least `seconds` old, in one
   * statement (two concurrent writes cannot both pass). Answers the milliseconds left otherwise.
   */
  async takeSlot(
    groupId: string,
    userId: string,
    channel: 'posts' | 'chat',
    seconds: number,
  ): Promise<{ taken: true } | { taken: false; waitMs: number }> {
    const taken: unknown[] = await this.settings.manager.query(
      `INSERT INTO moderation_slow_mode (group_id, user_id, channel, last_at)
       VALUES ($1, $2, $3, clock_timestamp())
       ON CONFLICT (group_id, user_id, channel) DO UPDATE SET last_at = clock_timestamp()
        WHERE moderation_slow_mode.last_at <= clock_timestamp() - make_interval(secs => $4)
       RETURNING 1`,
      [groupId, userId, channel, seconds],
    );
    if (taken.length) return { taken: true };
    const [row] = (await this.settings.manager.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (last_at + make_interval(secs => $4) - clock_timestamp())) * 1000)::float8 AS wait
         FROM moderation_slow_mode WHERE group_id = $1 AND user_id = $2 AND channel = $3`,
      [groupId, userId, channel, seconds],
    )) as { wait: number }[];
    return { taken: false, waitMs: row?.wait ?? seconds * 1000 };
  }
}
