import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { READ_RATE_EXCEEDED, type ReadRateExceededEvent } from '@kinship/identity';
import { ReportRepository } from '../repositories/report.repository';
import { URGENCY } from '../screening/screening.types';
import { ScreeningService } from './screening.service';

/**
 * A member reading far faster than a person reads may be copying patients' words out of the
 * community: platform staff get a flag on that member in their queue (one open at a time).
 */
@Injectable()
export class ScrapingListener {
  constructor(
    private readonly reports: ReportRepository,
    private readonly screening: ScreeningService,
  ) {}

  @OnEvent(READ_RATE_EXCEEDED, { async: true, suppressErrors: true })
  async onReadRateExceeded(event: ReadRateExceededEvent): Promise<void> {
    if (!event.userId || (await this.reports.hasOpenFlag('user', event.userId))) return;
    const flag = await this.reports.insert({
      kind: 'flag',
      groupId: null,
      targetType: 'user',
      targetId: event.userId,
      reason: 'privacy',
      details:
        `Automatic: read more than ${event.reads - 1} pages of community content within ` +
        `${event.windowSeconds} seconds (possible scraping).`,
      reporterId: null,
      reasons: [],
      urgency: URGENCY.privacy,
      status: 'open',
    });
    this.screening.announce(flag);
  }
}
