import { Injectable } from '@nestjs/common';
import type { Page } from '@kinship/common';
import { GroupAccessPolicy } from '@kinship/communities';
import { type AuthUser, UserService } from '@kinship/identity';
import { type ChainCheck, ChainVerifier } from '../audit/audit-chain';
import { AuditEntryDto, type AuditQueryDto } from '../dto/audit.dto';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { AuditRepository, type AuditScope } from '../repositories/audit.repository';

const VERIFY_BATCH = 1_000;

/** Reading and verifying the audit log. */
@Injectable()
export class AuditService {
  constructor(
    private readonly policy: GroupAccessPolicy,
    private readonly entries: AuditRepository,
    private readonly users: UserService,
  ) {}

  /**
   * Admins read everything; platform moderators every moderation entry (not research exports);
   * group moderators their groups' entries; anyone else 403.
   */
  async list(user: AuthUser, query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    let scope: AuditScope;
    if (user.role === 'admin') scope = { all: true };
    else if (user.role === 'moderator') scope = { all: true, excludeActionPrefix: 'research.' };
    else {
      if (query.groupId) await this.policy.moderate(query.groupId, user);
      const groups = await this.policy.moderatedGroups(user);
      if (groups !== 'all' && !groups.length) {
        throw new ModerationException(ModerationErrorCode.ModeratorRequired);
      }
      scope = groups === 'all' ? { all: true } : { all: false, groupIds: groups };
    }
    const page = await this.entries.list(
      scope,
      {
        groupId: query.groupId,
        actorId: query.actorId,
        action: query.action,
        targetId: query.targetId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      query,
    );
    const actors = await this.users.publicProfiles(
      page.items.map((a) => a.actorId).filter((id): id is string => !!id),
    );
    return {
      items: page.items.map((a) =>
        AuditEntryDto.of(
          a,
          a.actorId ? (actors.get(a.actorId) ?? { id: a.actorId, handle: '' }) : null,
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** Recomputes the whole chain, oldest first, in batches. */
  async verify(): Promise<ChainCheck> {
    const verifier = new ChainVerifier();
    let after = '0';
    for (;;) {
      const batch = await this.entries.batch(after, VERIFY_BATCH);
      if (!batch.length || !verifier.feed(batch)) break;
      after = batch[batch.length - 1].seq;
    }
    return verifier.result();
  }

  /** For the admin-only verification route. */
  assertAdmin(user: AuthUser): void {
    if (user.role !== 'admin') {
      throw new ModerationException(
        ModerationErrorCode.AdminRequired,
        'Only admins verify the log.',
      );
    }
  }
}
