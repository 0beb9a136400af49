/**
 * The statistics of the ground truth, written plainly over arrays (independent of the SQL that
 * computes the same figures from the roll-ups). Definitions: libs/engagement/METRICS.md.
 */

/** Middle value; the mean of the two middle values for an even count; null when empty. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function mean(values: readonly number[]): number | null {
  if (!values.length) return null;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Gini coefficient over every member (zeros included), without small-sample correction:
 * G = 2·Σ i·x(i) / (n·Σx) − (n + 1)/n, x sorted ascending, i = 1..n. Null when nobody contributed.
 */
export function gini(values: readonly number[]): number | null {
  const n = values.length;
  const total = values.reduce((s, v) => s + v, 0);
  if (!n || total === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let weighted = 0;
  sorted.forEach((x, i) => (weighted += (i + 1) * x));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** How many members make the top `percent` % of n: ceil(percent·n / 100), exact in integers. */
export function topCount(n: number, percent: number): number {
  return Math.ceil((n * percent) / 100);
}

/**
 * Share of all contributions made by the top ceil(percent·n / 100) members; which of several
 * members tied at the cut are taken cannot change the sum. Null when nobody contributed.
 */
export function topShare(values: readonly number[], percent: number): number | null {
  const total = values.reduce((s, v) => s + v, 0);
  if (!values.length || total === 0) return null;
  const k = topCount(values.length, percent);
  const top = [...values]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, v) => s + v, 0);
  return top / total;
}

export type Tier = 'superuser' | 'contributor' | 'other';

/**
 * Tiers of posters by contributions among all n members' counts: superuser when fewer than
 * ceil(n/100) members have strictly more, contributor when fewer than ceil(n/10) have strictly
 * more, else other; members tied at a cut share the higher tier. Returns the tier for a count.
 */
export function tiers(allCounts: readonly number[]): (contributions: number) => Tier {
  const desc = [...allCounts].sort((a, b) => b - a);
  const ahead = new Map<number, number>();
  desc.forEach((c, i) => {
    if (!ahead.has(c)) ahead.set(c, i);
  });
  const superCut = topCount(desc.length, 1);
  const contributorCut = topCount(desc.length, 10);
  return (contributions) => {
    const a = ahead.get(contributions) ?? desc.filter((c) => c > contributions).length;
    if (a < superCut) return 'superuser';
    if (a < contributorCut) return 'contributor';
    return 'other';
  };
}
