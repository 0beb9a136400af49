const DAY_MS = 86_400_000;

export interface WindowDays {
  /** The whole UTC days inside the window, [dayLo, dayHi) as dates; empty when dayLo = dayHi. */
  dayLo: string;
  dayHi: string;
  /** The same bounds as instants; the partial days are [from, fullLo) and [fullHi, to). */
  fullLo: Date;
  fullHi: Date;
  /** Retention weeks listed: whole weeks from the UTC midnight of `from` to `to`. */
  weeks: number;
}

/**
 * Cuts a window into the whole UTC days the daily roll-ups answer for, and the partial days at
 * its edges that are read from the log. A window without a whole day is read from the log alone.
 */
export function windowDays(from: Date, to: Date): WindowDays {
  const f = from.getTime();
  const t = to.getTime();
  let lo = Math.ceil(f / DAY_MS) * DAY_MS;
  let hi = Math.floor(t / DAY_MS) * DAY_MS;
  if (lo >= hi) lo = hi = t;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    dayLo: date(lo),
    dayHi: date(hi),
    fullLo: new Date(lo),
    fullHi: new Date(hi),
    weeks: Math.max(0, Math.floor((t - Math.floor(f / DAY_MS) * DAY_MS) / (7 * DAY_MS))),
  };
}
