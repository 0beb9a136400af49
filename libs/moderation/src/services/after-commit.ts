import { Logger } from '@nestjs/common';

const logger = new Logger('ModerationEffects');

/**
 * What an action does once its transaction committed (broadcasts, sockets leaving rooms, the
 * member's notification). Collected inside the transaction, run after it; a failing effect is
 * logged and does not undo the committed action.
 */
export class AfterCommit {
  private readonly effects: (() => unknown)[] = [];

  add(effect: () => unknown): void {
    this.effects.push(effect);
  }

  async run(): Promise<void> {
    for (const effect of this.effects) {
      try {
        await effect();
      } catch (error) {
        logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      }
    }
  }
}
