import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface MembershipExportRow {
  groupId: string;
  groupName: string;
  condition: string;
  status: string;
  role: string;
  requestedAt: Date;
  joinedAt: Date | null;
  leftAt: Date | null;
  createdByMember: boolean;
}

/** A member's memberships for their data export, and their end when the account is erased. */
@Injectable()
export class MembershipPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The member's memberships with their group's name, oldest request first (keyset pages). */
  page(
    userId: string,
    after: MembershipExportRow | undefined,
    size: number,
  ): Promise<MembershipExportRow[]> {
    return this.dataSource.query(
      `SELECT m.group_id AS "groupId", g.name AS "groupName", g.condition_label AS condition,
              m.status, m.role, m.requested_at AS "requestedAt", m.joined_at AS "joinedAt",
              m.left_at AS "leftAt", g.created_by = m.user_id AS "createdByMember"
         FROM memberships m JOIN groups g ON g.id = m.group_id
        WHERE m.user_id = $1 AND ($2::timestamptz IS NULL OR (m.requested_at, m.group_id) > ($2, $3::uuid))
        ORDER BY m.requested_at, m.group_id LIMIT $4`,
      [userId, after?.requestedAt ?? null, after?.groupId ?? null, size],
    );
  }

  /**
   * Ends every active or pending membership of the member (as leaving does, but even for a
   * group's last moderator: an erasure is never refused for that) and answers the groups where
   * the membership was active. Banned memberships stay banned.
   */
  async endAll(
    userId: string,
    manager: EntityManager,
  ): Promise<{ active: string[]; pending: number }> {
    const [rows] = (await manager.query(
      `UPDATE memberships m SET status = 'left', left_at = now(), role = 'member', updated_at = now()
         FROM (SELECT group_id, status FROM memberships
                WHERE user_id = $1 AND status IN ('active', 'pending') FOR UPDATE) AS before
        WHERE m.user_id = $1 AND m.group_id = before.group_id
    RETURNING m.group_id AS "groupId", before.status AS "was"`,
      [userId],
    )) as [{ groupId: string; was: string }[], number];
    const active = rows.filter((r) => r.was === 'active').map((r) => r.groupId);
    if (active.length) {
      await manager.query(
        'UPDATE groups SET member_count = member_count - 1 WHERE id = ANY($1::uuid[])',
        [active],
      );
    }
    return { active, pending: rows.length - active.length };
  }
}
