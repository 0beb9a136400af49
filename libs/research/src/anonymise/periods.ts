import { DAY_MS } from './study-window';

/** The value of a fully generalised (suppressed) quasi-identifier. */
export const SUPPRESSED = '*';

/** A quasi-identifier and its generalisation ladder, most detailed level first. */
export interface QuasiIdentifier {
  column: string;
  /** Names of the levels; the last one suppresses the value. */
  levels: readonly string[];
  generalise(value: string, level: number): string;
}

/** 'YYYY-MM' → 'YYYY-Qn' → 'YYYY' → '*'. */
export const JOIN_PERIOD: QuasiIdentifier = {
  column: 'join_period',
  levels: ['month', 'quarter', 'year', 'suppressed'],
  generalise(value, level) {
    if (level >= 3 || !/^\d{4}-\d{2}$/.test(value)) return SUPPRESSED;
    if (level === 0) return value;
    const [year, month] = value.split('-');
    if (level === 1) return `${year}-Q${Math.floor((Number(month) - 1) / 3) + 1}`;
    return year;
  },
};

/** The group role: 'member' | 'moderator' → '*'. */
export const GROUP_ROLE: QuasiIdentifier = {
  column: 'role',
  levels: ['role', 'suppressed'],
  generalise: (value, level) => (level >= 1 ? SUPPRESSED : value),
};

/** Day of consent since the study's start: its week 'a..b' → its 4 weeks 'a..b' → '*'. */
export const CONSENT_PERIOD: QuasiIdentifier = {
  column: 'consent_period',
  levels: ['week', '4 weeks', 'suppressed'],
  generalise(value, level) {
    if (level >= 2 || !/^-?\d+$/.test(value)) return SUPPRESSED;
    const span = level === 0 ? 7 : 28;
    const from = Math.floor(Number(value) / span) * span;
    return `${from}..${from + span - 1}`;
  },
};

/** 'YYYY-MM' of a time (UTC). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Whole days between two times, rounded down. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}
