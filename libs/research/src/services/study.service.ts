import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CommonException, type FieldError, type Page } from '@kinship/common';
import { GroupAccessPolicy, MembershipDirectory } from '@kinship/communities';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { type CreateStudyDto, StudyDto, type StudyListQueryDto } from '../dto/study.dto';
import type { StudyGroupEntity } from '../entities/study.entity';
import { ConsentRepository } from '../repositories/consent.repository';
import { type StudyScope, StudyRepository } from '../repositories/study.repository';
import { ResearchErrorCode, ResearchException } from '../research.exception';
import { notFound, StudyAccess } from './study-access';

/** Longest study: ten years. */
const MAX_STUDY_MS = 10 * 366 * 86_400_000;

@Injectable()
export class StudyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly studies: StudyRepository,
    private readonly consents: ConsentRepository,
    private readonly access: StudyAccess,
    private readonly policy: GroupAccessPolicy,
    private readonly directory: MembershipDirectory,
    private readonly clock: Clock,
  ) {}

  /** A researcher's new study, in draft until an admin approves it. */
  async create(user: AuthUser, dto: CreateStudyDto): Promise<StudyDto> {
    const errors: FieldError[] = [];
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt.getTime() <= startsAt.getTime()) {
      errors.push({ field: 'endsAt', message: 'must be after startsAt' });
    } else if (endsAt.getTime() - startsAt.getTime() > MAX_STUDY_MS) {
      errors.push({ field: 'endsAt', message: 'must be at most ten years after startsAt' });
    }
    const consentText = dto.consentText ?? dto.description;
    if (!consentText) {
      errors.push({ field: 'consentText', message: 'is required when there is no description' });
    }
    const ids = dto.groupIds.map((id) => id.toLowerCase());
    const groups: Omit<StudyGroupEntity, 'studyId'>[] = [];
    for (const [i, groupId] of ids.entries()) {
      if (ids.indexOf(groupId) !== i) {
        errors.push({ field: `groupIds.${i}`, message: 'repeats a group' });
        continue;
      }
      // A group the researcher cannot see is refused exactly like one that does not exist.
      const group = await this.policy.view(groupId, user).catch(() => null);
      if (!group) {
        errors.push({ field: `groupIds.${i}`, message: 'is not a group you can see' });
        continue;
      }
      groups.push({
        groupId,
        code: `G${String(groups.length + 1).padStart(2, '0')}`,
        condition: group.group.conditionLabel,
        position: groups.length + 1,
      });
    }
    if (errors.length) throw CommonException.validation(errors);
    const study = await inTransaction(this.dataSource, (manager) =>
      this.studies.insert(
        {
          ownerId: user.id,
          title: dto.title,
          description: dto.description,
          startsAt,
          endsAt,
          windowKind: dto.window ?? 'fixed',
          kAnonymity: dto.kAnonymity ?? 5,
          posterMinContributions: dto.posterMinContributions ?? 1,
          consentText: consentText,
          consentVersion: dto.consentVersion ?? '1',
          status: 'draft',
          pseudonymSecret: randomBytes(32),
        },
        groups,
        manager,
      ),
    );
    return StudyDto.of(study, ownerViewer());
  }

  async get(user: AuthUser, studyId: string): Promise<StudyDto> {
    const view = await this.access.view(user, studyId);
    const seesAll = view.isOwner || view.isAdmin;
    return StudyDto.of(view.study, {
      isOwner: view.isOwner,
      seesAllGroupIds: seesAll,
      activeGroupIds: seesAll ? new Set() : new Set(await this.directory.activeGroupIds(user.id)),
      consent: view.consent,
    });
  }

  /**
   * Researchers: their own studies; admins: every study; members: open studies of the groups
   * they are active in, each with the caller's consent.
   */
  async list(user: AuthUser, query: StudyListQueryDto): Promise<Page<StudyDto>> {
    let scope: StudyScope;
    let active = new Set<string>();
    if (user.role === 'admin') scope = { kind: 'all' };
    else if (user.role === 'researcher') scope = { kind: 'owned', ownerId: user.id };
    else {
      active = new Set(await this.directory.activeGroupIds(user.id));
      if (!active.size) return { items: [], nextCursor: null };
      scope = { kind: 'open-in-groups', groupIds: [...active] };
    }
    const page = await this.studies.list(scope, query);
    const consents = await this.consents.forUser(
      user.id,
      page.items.map((s) => s.id),
    );
    return {
      items: page.items.map((s) =>
        StudyDto.of(s, {
          isOwner: s.ownerId === user.id,
          seesAllGroupIds: scope.kind !== 'open-in-groups',
          activeGroupIds: active,
          consent: consents.get(s.id) ?? null,
        }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** An admin opens a draft study for consent. */
  async approve(user: AuthUser, studyId: string): Promise<StudyDto> {
    const study = await inTransaction(this.dataSource, async (manager) => {
      const found = await this.studies.lock(studyId, manager);
      if (!found) throw notFound();
      if (found.status !== 'draft') {
        throw new ResearchException(
          ResearchErrorCode.StudyNotDraft,
          `The study is ${found.status}.`,
        );
      }
      const now = this.clock.now();
      await this.studies.setStatus(
        studyId,
        { status: 'open', approvedBy: user.id, approvedAt: now },
        manager,
      );
      return { ...found, status: 'open' as const, approvedBy: user.id, approvedAt: now };
    });
    return StudyDto.of(study, { ...ownerViewer(), isOwner: study.ownerId === user.id });
  }

  /** The owner or an admin ends enrollment and surveys; consent can still be withdrawn. */
  async close(user: AuthUser, studyId: string): Promise<StudyDto> {
    const view = await this.access.view(user, studyId);
    if (!view.isOwner && !view.isAdmin) throw notFound();
    const study = await inTransaction(this.dataSource, async (manager) => {
      const found = await this.studies.lock(studyId, manager);
      if (!found) throw notFound();
      if (found.status !== 'open') {
        throw new ResearchException(
          ResearchErrorCode.StudyNotOpen,
          `The study is ${found.status}.`,
        );
      }
      const now = this.clock.now();
      await this.studies.setStatus(studyId, { status: 'closed', closedAt: now }, manager);
      return { ...found, status: 'closed' as const, closedAt: now };
    });
    return StudyDto.of(study, { ...ownerViewer(), isOwner: view.isOwner, consent: view.consent });
  }
}

function ownerViewer() {
  return { isOwner: true, seesAllGroupIds: true, activeGroupIds: new Set<string>(), consent: null };
}
