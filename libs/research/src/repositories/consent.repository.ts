import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ConsentRecordEntity, ParticipantEntity } from '../entities/consent.entity';

/** The only place that reads or writes consent (its history and the current state). */
@Injectable()
export class ConsentRepository {
  constructor(
    @InjectRepository(ParticipantEntity)
    private readonly participants: Repository<ParticipantEntity>,
  ) {}

  /** Locks the member's current consent row (when there is one) for a change. */
  lock(studyId: string, userId: string, manager: EntityManager): Promise<ParticipantEntity | null> {
    return manager
      .getRepository(ParticipantEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.study_id = :studyId AND p.user_id = :userId', { studyId, userId })
      .getOne();
  }

  /** Saves the new current state and appends it to the history, in the caller's transaction. */
  async record(state: ParticipantEntity, at: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(ParticipantEntity).save(state);
    await manager.getRepository(ConsentRecordEntity).insert({
      studyId: state.studyId,
      userId: state.userId,
      granted: state.granted,
      consentVersion: state.consentVersion,
      at,
    });
  }

  find(studyId: string, userId: string): Promise<ParticipantEntity | null> {
    return this.participants.findOneBy({ studyId, userId });
  }

  /** The user's consent to each of these studies, by study id. */
  async forUser(userId: string, studyIds: string[]): Promise<Map<string, ParticipantEntity>> {
    if (!studyIds.length) return new Map();
    const rows = await this.participants
      .createQueryBuilder('p')
      .where('p.user_id = :userId AND p.study_id = ANY(:studyIds)', { userId, studyIds })
      .getMany();
    return new Map(rows.map((p) => [p.studyId, p]));
  }

  /** Everyone whose consent to the study stands now (withdrawn members are not among them). */
  consented(studyId: string): Promise<ParticipantEntity[]> {
    return this.participants.find({
      where: { studyId, granted: true },
      order: { userId: 'ASC' },
    });
  }
}
