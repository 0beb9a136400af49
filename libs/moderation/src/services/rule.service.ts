import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommonException, type Page } from '@kinship/common';
import { GroupAccessPolicy } from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { AuditLog } from '../audit/audit-log';
import type { ModerationRuleEntity } from '../entities/moderation-rule.entity';
import { type CreateRuleDto, RuleDto, type RuleListQueryDto } from '../dto/rule.dto';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { RuleRepository } from '../repositories/rule.repository';
import { regexProblem } from '../screening/regex-safety';
import { wordsOf, normalise } from '../screening/normalise';
import { ScreeningService } from './screening.service';

/**
 * Group rules belong to the group's moderators (and platform staff, who moderate every group);
 * global rules to admins. Platform moderators may read the global rules.
 */
@Injectable()
export class RuleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly policy: GroupAccessPolicy,
    private readonly rules: RuleRepository,
    private readonly screening: ScreeningService,
  ) {}

  async list(user: AuthUser, query: RuleListQueryDto): Promise<Page<RuleDto>> {
    if (query.groupId) await this.policy.moderate(query.groupId, user);
    else if (user.role !== 'admin' && user.role !== 'moderator') {
      throw new ModerationException(ModerationErrorCode.ModeratorRequired);
    }
    const page = await this.rules.list(query.groupId ?? null, query);
    return { items: page.items.map(RuleDto.of), nextCursor: page.nextCursor };
  }

  async create(user: AuthUser, dto: CreateRuleDto): Promise<RuleDto> {
    await this.assertManages(user, dto.groupId ?? null);
    const problem =
      dto.matchType === 'regex'
        ? regexProblem(dto.pattern)
        : wordsOf(normalise(dto.pattern).text).trim() === ''
          ? 'must contain at least one letter or digit'
          : dto.matchType === 'word' && wordsOf(normalise(dto.pattern).text).trim().includes(' ')
            ? 'must be a single word (use matchType phrase for several)'
            : undefined;
    if (problem) throw CommonException.validation([{ field: 'pattern', message: problem }]);
    const rule = await inTransaction(this.dataSource, async (manager) => {
      const rule = await this.rules.insert(
        {
          groupId: dto.groupId ?? null,
          pattern: dto.pattern,
          matchType: dto.matchType,
          action: dto.action,
          category: dto.category,
          createdBy: user.id,
        },
        manager,
      );
      await this.audit.append(manager, {
        actorId: user.id,
        action: 'rule.create',
        targetType: 'rule',
        targetId: rule.id,
        groupId: rule.groupId,
        details: ruleDetails(rule),
      });
      return rule;
    });
    await this.screening.invalidate(rule.groupId);
    return RuleDto.of(rule);
  }

  async remove(user: AuthUser, ruleId: string): Promise<void> {
    const rule = await this.rules.findById(ruleId);
    const notFound = () => new ModerationException(ModerationErrorCode.RuleNotFound);
    if (!rule) throw notFound();
    // A group's rules are as unknown as an id nobody has to those who do not moderate it.
    if (rule.groupId) {
      await this.policy.moderate(rule.groupId, user).catch(() => {
        throw notFound();
      });
    } else await this.assertManages(user, null);
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.rules.delete(ruleId, manager))) throw notFound();
      await this.audit.append(manager, {
        actorId: user.id,
        action: 'rule.delete',
        targetType: 'rule',
        targetId: rule.id,
        groupId: rule.groupId,
        details: ruleDetails(rule),
      });
    });
    await this.screening.invalidate(rule.groupId);
  }

  private async assertManages(user: AuthUser, groupId: string | null): Promise<void> {
    if (groupId) await this.policy.moderate(groupId, user);
    else if (user.role !== 'admin')
      throw new ModerationException(ModerationErrorCode.AdminRequired);
  }
}

function ruleDetails(rule: ModerationRuleEntity): Record<string, unknown> {
  return {
    pattern: rule.pattern,
    matchType: rule.matchType,
    action: rule.action,
    category: rule.category,
  };
}
