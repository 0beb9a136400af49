import { createHash } from 'node:crypto';

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: every column but the hashes themselves. */
export interface AuditRecord {
  seq: string;
  /** ISO-8601 with milliseconds (the column is timestamptz(3)). */
  occurredAt: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  groupId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * JSON with object keys sorted at every depth (arrays keep their order), no whitespace: the same
 * value always serialises to the same text, whatever order jsonb hands its keys back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 (hex) over the previous entry's hash and this entry's canonical serialisation. */
export function chainHash(prevHash: string, record: AuditRecord): string {
  const body: AuditRecord = {
    seq: record.seq,
    occurredAt: record.occurredAt,
    actorId: record.actorId,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId,
    groupId: record.groupId,
    reason: record.reason,
    details: record.details,
  };
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(body))
    .digest('hex');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/**
 * A string as the database will store and return it: PostgreSQL text holds no NUL and only
 * well-formed Unicode (the driver would turn a lone surrogate into U+FFFD), and uuid columns
 * answer in lower case. Hashing the stored form keeps verification exact.
 */
export function storedText(value: string): string {
  const text = value.replace(/\0/g, '').replace(LONE_SURROGATE, '\uFFFD');
  return UUID.test(text) ? text.toLowerCase() : text;
}

/** Details as jsonb gives them back: plain JSON (Dates as strings, no undefined), stored text. */
export function storedDetails(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(details ?? {})) as unknown;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return storedText(v);
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [storedText(k), clean(x)]),
      );
    }
    return v;
  };
  const result = clean(plain);
  return result && typeof result === 'object' && !Array.isArray(result)
    ? (result as Record<string, unknown>)
    : { value: result };
}

/** How verification went: `firstBrokenSeq` is the first entry that does not fit the chain. */
export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: string;
  problem?: 'hash-mismatch' | 'link-mismatch' | 'missing-entry';
  lastSeq: string | null;
  lastHash: string | null;
}

/**
 * Walks entries in seq order (fed in batches) and stops at the first that breaks the chain: a
 * changed entry fails its own hash, a removed one leaves a gap in seq, a replaced one fails the
 * link of the entry after it.
 */
export class ChainVerifier {
  private expectedSeq = 1n;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private broken?: Pick<ChainCheck, 'firstBrokenSeq' | 'problem'>;

  /** False once the chain is broken (no need to read further). */
  feed(entries: (AuditRecord & { prevHash: string; hash: string })[]): boolean {
    for (const e of entries) {
      if (this.broken) return false;
      if (BigInt(e.seq) !== this.expectedSeq) {
        this.broken = { firstBrokenSeq: this.expectedSeq.toString(), problem: 'missing-entry' };
      } else if (e.prevHash !== this.prevHash) {
        this.broken = { firstBrokenSeq: e.seq, problem: 'link-mismatch' };
      } else if (chainHash(e.prevHash, e) !== e.hash) {
        this.broken = { firstBrokenSeq: e.seq, problem: 'hash-mismatch' };
      } else {
        this.checked++;
        this.expectedSeq++;
        this.prevHash = e.hash;
      }
    }
    return !this.broken;
  }

  result(): ChainCheck {
    const last = this.checked ? (this.expectedSeq - 1n).toString() : null;
    return {
      ok: !this.broken,
      checked: this.checked,
      ...(this.broken ?? {}),
      lastSeq: last,
      lastHash: last ? this.prevHash : null,
    };
  }
}
