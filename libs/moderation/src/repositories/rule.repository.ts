import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { ModerationRuleEntity } from '../entities/moderation-rule.entity';

/** The only place that reads or writes screening rules. */
@Injectable()
export class RuleRepository {
  constructor(
    @InjectRepository(ModerationRuleEntity)
    private readonly rules: Repository<ModerationRuleEntity>,
  ) {}

  insert(data: Partial<ModerationRuleEntity>): Promise<ModerationRuleEntity> {
    return this.rules.save(this.rules.create(data));
  }

  findById(id: string): Promise<ModerationRuleEntity | null> {
    return this.rules.findOneBy({ id });
  }

  async delete(id: string): Promise<void> {
    await this.rules.delete({ id });
  }

  /** A group's rules and the global ones: what screening of that group applies. */
  forScreening(groupId: string): Promise<ModerationRuleEntity[]> {
    return this.rules
      .createQueryBuilder('r')
      .where('r.group_id = :groupId OR r.group_id IS NULL', { groupId })
      .getMany();
  }

  /** A group's rules, or the global ones (groupId null), oldest first. */
  list(groupId: string | null, query: PageQueryDto): Promise<Page<ModerationRuleEntity>> {
    const qb = this.rules.createQueryBuilder('r');
    if (groupId) qb.where('r.group_id = :groupId', { groupId });
    else qb.where('r.group_id IS NULL');
    return paginate(
      qb,
      query,
      [
        {
          expression: 'r.created_at',
          cast: 'timestamptz',
          toCursor: (r: ModerationRuleEntity) => r.createdAt.toISOString(),
        },
        { expression: 'r.id', cast: 'uuid', toCursor: (r: ModerationRuleEntity) => r.id },
      ],
      'ASC',
    );
  }
}
