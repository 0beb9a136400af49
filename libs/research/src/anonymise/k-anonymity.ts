import type { QuasiIdentifier } from './periods';

/** A row of the table to protect: its fixed columns and its quasi-identifiers' raw values. */
export type QiRow = Record<string, string>;

export interface Generalisation {
  column: string;
  level: number;
  levelName: string;
}

export interface KAnonymityResult {
  /** The rows kept, in input order, with their quasi-identifiers generalised. */
  kept: { index: number; values: QiRow }[];
  /** Indexes of the rows removed. */
  suppressed: number[];
  /** The final level of every quasi-identifier (applied to every row alike). */
  generalisations: Generalisation[];
  /** Rows removed because their fixed columns alone are shared by fewer than k rows. */
  suppressedSmallStrata: number;
  /** Rows removed because their combination still had fewer than k rows after generalising. */
  suppressedRare: number;
}

/**
 * k-anonymity by global generalisation then row suppression, after Sweeney's Datafly (1997):
 * 1. rows whose fixed columns (the study group, which every file carries) are shared by fewer than
 *    k rows can never pass, and are removed;
 * 2. while more than k rows sit in combinations of fewer than k rows, the quasi-identifier with
 *    the most distinct values goes one level up its ladder (every row alike);
 * 3. the rows still in combinations of fewer than k (at most k of them) are removed.
 * Every combination of fixed columns and quasi-identifiers left has at least k rows. Each row
 * stands for one person (a person has at most one row per group, and the group is fixed).
 */
export function kAnonymise(
  rows: QiRow[],
  fixed: readonly string[],
  qis: readonly QuasiIdentifier[],
  k: number,
): KAnonymityResult {
  if (!Number.isInteger(k) || k < 2) throw new Error('k must be an integer of at least 2');
  const levels = qis.map(() => 0);
  const fixedKey = (r: QiRow) => fixed.map((c) => r[c] ?? '').join('\u0000');

  const strata = countBy(
    rows.map((_, i) => i),
    (i) => fixedKey(rows[i]),
  );
  let candidates = rows.map((_, i) => i).filter((i) => strata.get(fixedKey(rows[i]))! >= k);
  const suppressedSmallStrata = rows.length - candidates.length;

  const generalised = (i: number): QiRow => {
    const out: QiRow = {};
    for (const c of fixed) out[c] = rows[i][c] ?? '';
    qis.forEach((q, n) => (out[q.column] = q.generalise(rows[i][q.column] ?? '', levels[n])));
    return out;
  };
  const keyOf = (v: QiRow) =>
    [...fixed, ...qis.map((q) => q.column)].map((c) => v[c]).join('\u0000');

  let failing: number[];
  for (;;) {
    const values = new Map(candidates.map((i) => [i, generalised(i)]));
    const counts = countBy(candidates, (i) => keyOf(values.get(i)!));
    failing = candidates.filter((i) => counts.get(keyOf(values.get(i)!))! < k);
    if (failing.length <= k) break;
    const next = widest(qis, levels, candidates, rows);
    if (next < 0) break;
    levels[next] += 1;
  }
  const removed = new Set(failing);
  candidates = candidates.filter((i) => !removed.has(i));
  const keptSet = new Set(candidates);
  return {
    kept: candidates.map((index) => ({ index, values: generalised(index) })),
    suppressed: rows.map((_, i) => i).filter((i) => !keptSet.has(i)),
    generalisations: qis.map((q, n) => ({
      column: q.column,
      level: levels[n],
      levelName: q.levels[levels[n]],
    })),
    suppressedSmallStrata,
    suppressedRare: failing.length,
  };
}

/** The quasi-identifier not yet at its top level with the most distinct values; -1 if none. */
function widest(
  qis: readonly QuasiIdentifier[],
  levels: number[],
  candidates: number[],
  rows: QiRow[],
): number {
  let best = -1;
  let bestCount = -1;
  qis.forEach((q, n) => {
    if (levels[n] >= q.levels.length - 1) return;
    const distinct = new Set(
      candidates.map((i) => q.generalise(rows[i][q.column] ?? '', levels[n])),
    );
    if (distinct.size > bestCount) {
      best = n;
      bestCount = distinct.size;
    }
  });
  return best;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** A count of people as it may be published: null (suppressed) from 1 to k-1. */
export function peopleCount(n: number, k: number): number | null {
  return n > 0 && n < k ? null : n;
}
