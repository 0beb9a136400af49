import type { WindowKind } from '../entities/study.entity';

export const DAY_MS = 86_400_000;
export const ROLLING_WINDOW_DAYS = 84;

export interface StudyWindow {
  kind: WindowKind;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The measurement window of a study at `now`: `fixed` is [startsAt, endsAt); `rolling_12_weeks`
 * is the 12 weeks (84 days) up to the earlier of now and endsAt, never before startsAt.
 */
export function studyWindow(
  study: { startsAt: Date; endsAt: Date; windowKind: WindowKind },
  now: Date,
): StudyWindow {
  if (study.windowKind === 'fixed') {
    return { kind: 'fixed', from: study.startsAt, to: study.endsAt };
  }
  const to = new Date(
    Math.max(Math.min(study.endsAt.getTime(), now.getTime()), study.startsAt.getTime()),
  );
  const from = new Date(
    Math.max(study.startsAt.getTime(), to.getTime() - ROLLING_WINDOW_DAYS * DAY_MS),
  );
  return { kind: study.windowKind, from, to };
}

/** Whole days from the study's start (negative before it): exports carry no clock time. */
export function dayOf(atMs: number, startMs: number): number {
  return Math.floor((atMs - startMs) / DAY_MS);
}
