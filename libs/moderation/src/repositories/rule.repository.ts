import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { ModerationRuleEntity } from '../entities/moderation-rule.entity';

/** The only place that reads or writes screening rules. */
@Injectable()
export class RuleRepository {
  constructor(
    @InjectRepository(ModerationRuleEntity)
    private readonly rules: Repository<ModerationRuleEntity>,
  ) {}

  insert(
    data: Partial<ModerationRuleEntity>,
    manager: EntityManager,
  ): Promise<ModerationRuleEntity> {
    const repo = manager.getRepository(ModerationRuleEntity);
    return repo.save(repo.create(data));
  }

  findById(id: string): Promise<ModerationRuleEntity | null> {
    return this.rules.findOneBy({ id });
  }

  /** False when it was gone already (deleted concurrently). */
  async delete(id: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.getRepository(ModerationRuleEntity).delete({ id });
    return !!result.affected;
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
