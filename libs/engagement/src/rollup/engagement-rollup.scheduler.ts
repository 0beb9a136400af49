import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { engagementConfig } from '../engagement.config';
import { EngagementRollup } from './engagement-rollup.service';

/** Passes per tick: a long backlog is worked off over several ticks, never in one long loop. */
const MAX_PASSES_PER_TICK = 50;

/**
 * Runs the roll-up every ENGAGEMENT_ROLLUP_INTERVAL_MS in this process. Every api process and the
 * worker may run it: an advisory lock lets one of them work at a time and the others skip.
 */
@Injectable()
export class EngagementRollupScheduler
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(EngagementRollupScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly rollup: EngagementRollup,
    @Inject(engagementConfig.KEY) private readonly config: ConfigType<typeof engagementConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.rollupIntervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.config.rollupIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.rollup
      .catchUp({ maxPasses: MAX_PASSES_PER_TICK, stop: () => this.stopping })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.logger.warn(`engagement roll-up failed, will retry: ${(error as Error).message}`);
      })
      .finally(() => (this.running = undefined));
  }
}
