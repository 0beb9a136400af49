import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { StudyEntity, StudyGroupEntity, type StudyStatus } from '../entities/study.entity';

/** Whose studies a list shows. */
export type StudyScope =
  | { kind: 'all' }
  | { kind: 'owned'; ownerId: string }
  | { kind: 'open-in-groups'; groupIds: string[] };

/** The only place that reads or writes studies and their groups. */
@Injectable()
export class StudyRepository {
  constructor(
    @InjectRepository(StudyEntity) private readonly studies: Repository<StudyEntity>,
    @InjectRepository(StudyGroupEntity) private readonly groups: Repository<StudyGroupEntity>,
  ) {}

  async insert(
    study: Partial<StudyEntity>,
    groups: Omit<StudyGroupEntity, 'studyId'>[],
    manager: EntityManager,
  ): Promise<StudyEntity> {
    const saved = await manager
      .getRepository(StudyEntity)
      .save(manager.getRepository(StudyEntity).create(study));
    await manager
      .getRepository(StudyGroupEntity)
      .insert(groups.map((g) => ({ ...g, studyId: saved.id })));
    return (await this.findById(saved.id, manager))!;
  }

  /** The study with its groups (in code order); never its secret. */
  async findById(id: string, manager?: EntityManager): Promise<StudyEntity | null> {
    const repo = manager?.getRepository(StudyEntity) ?? this.studies;
    const study = await repo.findOneBy({ id });
    if (study) study.groups = await this.groupsOf(study.id, manager);
    return study;
  }

  /** Locks the study row for a state change (status, survey codes). */
  async lock(id: string, manager: EntityManager): Promise<StudyEntity | null> {
    const study = await manager
      .getRepository(StudyEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
    if (study) study.groups = await this.groupsOf(study.id, manager);
    return study;
  }

  /** The pseudonym key: read only by the export builder. */
  async secretOf(id: string): Promise<Buffer | null> {
    const row = await this.studies
      .createQueryBuilder('s')
      .select('s.pseudonym_secret', 'secret')
      .where('s.id = :id', { id })
      .getRawOne<{ secret: Buffer }>();
    return row?.secret ?? null;
  }

  async setStatus(
    id: string,
    changes: Partial<Pick<StudyEntity, 'status' | 'approvedBy' | 'approvedAt' | 'closedAt'>>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(StudyEntity).update({ id }, changes);
  }

  /** Newest first; each study with its groups. */
  async list(
    scope: StudyScope,
    query: PageQueryDto & { status?: StudyStatus },
  ): Promise<Page<StudyEntity>> {
    const qb = this.studies.createQueryBuilder('s');
    this.applyScope(qb, scope);
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    const page = await paginate(
      qb,
      query,
      [
        {
          expression: 's.created_at',
          cast: 'timestamptz',
          toCursor: (s: StudyEntity) => s.createdAt.toISOString(),
        },
        { expression: 's.id', cast: 'uuid', toCursor: (s: StudyEntity) => s.id },
      ],
      'DESC',
    );
    const groups = await this.groupsOfMany(page.items.map((s) => s.id));
    for (const s of page.items) s.groups = groups.get(s.id) ?? [];
    return page;
  }

  private applyScope(qb: SelectQueryBuilder<StudyEntity>, scope: StudyScope): void {
    if (scope.kind === 'owned') qb.where('s.owner_id = :ownerId', { ownerId: scope.ownerId });
    if (scope.kind === 'open-in-groups') {
      qb.where("s.status = 'open'").andWhere(
        `EXISTS (SELECT 1 FROM research_study_groups g
                  WHERE g.study_id = s.id AND g.group_id = ANY(:groupIds))`,
        { groupIds: scope.groupIds },
      );
    }
  }

  private groupsOf(studyId: string, manager?: EntityManager): Promise<StudyGroupEntity[]> {
    const repo = manager?.getRepository(StudyGroupEntity) ?? this.groups;
    return repo.find({ where: { studyId }, order: { position: 'ASC' } });
  }

  private async groupsOfMany(studyIds: string[]): Promise<Map<string, StudyGroupEntity[]>> {
    const out = new Map<string, StudyGroupEntity[]>();
    if (!studyIds.length) return out;
    const rows = await this.groups
      .createQueryBuilder('g')
      .where('g.study_id = ANY(:studyIds)', { studyIds })
      .orderBy('g.position', 'ASC')
      .getMany();
    for (const g of rows) out.set(g.studyId, [...(out.get(g.studyId) ?? []), g]);
    return out;
  }
}
