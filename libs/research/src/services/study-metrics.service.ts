import { Injectable } from '@nestjs/common';
import { Clock } from '@kinship/common';
import { EngagementMetrics } from '@kinship/engagement';
import type { AuthUser } from '@kinship/identity';
import { suppressGroupMetrics } from '../anonymise/metrics-suppression';
import { studyWindow } from '../anonymise/study-window';
import type { StudyMetricsDto } from '../dto/study-metrics.dto';
import { ConsentRepository } from '../repositories/consent.repository';
import { StudyAccess } from './study-access';

/**
 * A study's group metrics for its owner: engagement's exact figures over the members whose
 * consent stands now (a withdrawal drops the member from every later answer), in the study's
 * window, then k-suppressed.
 */
@Injectable()
export class StudyMetricsService {
  constructor(
    private readonly access: StudyAccess,
    private readonly consents: ConsentRepository,
    private readonly metrics: EngagementMetrics,
    private readonly clock: Clock,
  ) {}

  async forOwner(user: AuthUser, studyId: string): Promise<StudyMetricsDto> {
    const study = await this.access.owned(user, studyId);
    const window = studyWindow(study, this.clock.now());
    const groups = study.groups ?? [];
    const participants = (await this.consents.consented(study.id)).map((p) => p.userId);
    const raw = await this.metrics.groupMetrics({
      groupIds: groups.map((g) => g.groupId),
      from: window.from,
      to: window.to,
      posterMinContributions: study.posterMinContributions,
      participants,
    });
    const byId = new Map(raw.map((m) => [m.groupId, m]));
    return {
      studyId: study.id,
      window: {
        kind: window.kind,
        from: window.from.toISOString(),
        to: window.to.toISOString(),
      },
      kAnonymity: study.kAnonymity,
      posterMinContributions: study.posterMinContributions,
      groups: groups.map((g) =>
        suppressGroupMetrics(byId.get(g.groupId)!, study.kAnonymity, {
          groupCode: g.code,
          condition: g.condition,
        }),
      ),
    };
  }
}
