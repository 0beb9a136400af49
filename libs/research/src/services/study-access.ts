import { Injectable } from '@nestjs/common';
import { MembershipDirectory } from '@kinship/communities';
import type { AuthUser } from '@kinship/identity';
import type { ParticipantEntity } from '../entities/consent.entity';
import type { StudyEntity } from '../entities/study.entity';
import { ConsentRepository } from '../repositories/consent.repository';
import { StudyRepository } from '../repositories/study.repository';
import { ResearchErrorCode, ResearchException } from '../research.exception';

export interface StudyView {
  study: StudyEntity;
  isOwner: boolean;
  /** Admins oversee every study (approve, close), but do not read its data. */
  isAdmin: boolean;
  consent: ParticipantEntity | null;
}

/**
 * Who sees a study: its owner and admins always; members when it is open and they are active in
 * one of its groups, or when they have consented to it before (so they can always withdraw).
 * Everyone else gets a 404, as for a study that does not exist. The study's data (surveys'
 * administration, exports, metrics) is the owner's alone: a 404 for everyone else, admins and
 * members included.
 */
@Injectable()
export class StudyAccess {
  constructor(
    private readonly studies: StudyRepository,
    private readonly consents: ConsentRepository,
    private readonly directory: MembershipDirectory,
  ) {}

  async view(user: AuthUser, studyId: string): Promise<StudyView> {
    const study = await this.studies.findById(studyId);
    if (!study) throw notFound();
    const isOwner = study.ownerId === user.id;
    const isAdmin = user.role === 'admin';
    const consent = await this.consents.find(studyId, user.id);
    if (isOwner || isAdmin) return { study, isOwner, isAdmin, consent };
    if (study.status === 'draft') throw notFound();
    if (consent) return { study, isOwner, isAdmin, consent };
    if (study.status === 'open' && (await this.isActiveInStudyGroups(user, study))) {
      return { study, isOwner, isAdmin, consent };
    }
    throw notFound();
  }

  /** The study, when the caller owns it; a 404 otherwise. */
  async owned(user: AuthUser, studyId: string): Promise<StudyEntity> {
    const study = await this.studies.findById(studyId);
    if (!study || study.ownerId !== user.id) throw notFound();
    return study;
  }

  isActiveInStudyGroups(user: AuthUser, study: StudyEntity): Promise<boolean> {
    return this.directory.isActiveInAny(
      user.id,
      (study.groups ?? []).map((g) => g.groupId),
    );
  }
}

export function notFound(): ResearchException {
  return new ResearchException(
    ResearchErrorCode.StudyNotFound,
    'The study does not exist or is not visible to you.',
  );
}
