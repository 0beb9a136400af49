import { Injectable } from '@nestjs/common';
import { UserService, type AuthUser } from '@kinship/identity';
import { type CreateReportDto, QueueItemDto } from '../dto/queue.dto';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import { ReportRepository } from '../repositories/report.repository';
import { URGENCY } from '../screening/screening.types';
import { ContentRegistry } from './content-registry';
import { ScreeningService } from './screening.service';

/** Members report what they can see; a report goes to the moderators of the target's group. */
@Injectable()
export class ReportService {
  constructor(
    private readonly registry: ContentRegistry,
    private readonly reports: ReportRepository,
    private readonly users: UserService,
    private readonly screening: ScreeningService,
  ) {}

  async create(user: AuthUser, dto: CreateReportDto): Promise<QueueItemDto> {
    const groupId = await this.visibleTargetGroup(user, dto);
    const report = await this.reports.insert({
      kind: 'report',
      groupId,
      targetType: dto.targetType,
      targetId: dto.targetId,
      reason: dto.reason,
      details: dto.details?.trim() || null,
      reporterId: user.id,
      reasons: [],
      urgency: URGENCY[dto.reason],
      status: 'open',
    });
    this.screening.announce(report);
    return QueueItemDto.of(report, { id: user.id, handle: user.handle });
  }

  /** The target's group (null for a user), or a 404 when the reporter cannot see the target. */
  private async visibleTargetGroup(user: AuthUser, dto: CreateReportDto): Promise<string | null> {
    if (dto.targetType === 'user') {
      const found = await this.users.publicProfiles([dto.targetId]);
      if (!found.has(dto.targetId) || dto.targetId === user.id) throw targetNotFound();
      return null;
    }
    const content = await this.registry.get(dto.targetType)?.findVisible(dto.targetId, user);
    if (!content) throw targetNotFound();
    return content.groupId;
  }
}

function targetNotFound(): ModerationException {
  return new ModerationException(
    ModerationErrorCode.TargetNotFound,
    'The target does not exist or is not visible to you.',
  );
}
