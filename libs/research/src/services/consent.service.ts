import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { ConsentStateDto } from '../dto/study.dto';
import { ParticipantEntity } from '../entities/consent.entity';
import { ConsentRepository } from '../repositories/consent.repository';
import { ResearchErrorCode, ResearchException } from '../research.exception';
import { StudyAccess } from './study-access';

/**
 * Consent is opt-in per study and recorded, grant and withdrawal alike, with its time and the
 * consent text's version. Consenting needs an open study and an active membership in one of its
 * groups; withdrawing is always possible, and takes the member out of every later export.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentRepository,
    private readonly access: StudyAccess,
    private readonly clock: Clock,
  ) {}

  async set(user: AuthUser, studyId: string, granted: boolean): Promise<ConsentStateDto> {
    const { study } = await this.access.view(user, studyId);
    if (granted) {
      if (study.status !== 'open') {
        throw new ResearchException(
          ResearchErrorCode.StudyNotOpen,
          `The study is ${study.status}.`,
        );
      }
      // Checked before the transaction: inside it only its own connection may be used.
      if (!(await this.access.isActiveInStudyGroups(user, study))) {
        throw new ResearchException(ResearchErrorCode.NotInStudyGroups);
      }
    }
    const state = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.consents.lock(studyId, user.id, manager);
      const unchanged = granted
        ? current?.granted && current.consentVersion === study.consentVersion
        : !current?.granted;
      if (unchanged) return current;
      const now = this.clock.now();
      const next =
        current ?? manager.getRepository(ParticipantEntity).create({ studyId, userId: user.id });
      next.granted = granted;
      if (granted) {
        next.consentVersion = study.consentVersion;
        next.grantedAt = now;
        next.withdrawnAt = null;
      } else {
        next.withdrawnAt = now;
      }
      await this.consents.record(next, now, manager);
      return next;
    });
    return ConsentStateDto.of(study, state);
  }
}
