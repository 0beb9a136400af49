import {
  type AuditRecord,
  canonicalJson,
  chainHash,
  ChainVerifier,
  GENESIS_HASH,
  storedDetails,
  storedText,
} from './audit-chain';

const record = (seq: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  seq: String(seq),
  occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, seq)).toISOString(),
  actorId: '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f',
  action: 'content.hide',
  targetType: 'post',
  targetId: '7a1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f',
  groupId: null,
  reason: `reason ${seq}`,
  details: { reportId: 'r', n: seq },
  ...extra,
});

function chain(n: number) {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const r = record(i + 1);
    const hash = chainHash(prev, r);
    const entry = { ...r, prevHash: prev, hash };
    prev = hash;
    return entry;
  });
}

describe('audit chain', () => {
  it('serialises canonically: key order never matters, undefined is dropped', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(chainHash(GENESIS_HASH, record(1, { details: { a: 1, b: 2 } }))).toBe(
      chainHash(GENESIS_HASH, record(1, { details: { b: 2, a: 1 } })),
    );
  });

  it('stores text as the database returns it', () => {
    expect(storedText('a\0b')).toBe('ab');
    expect(storedText('x\uD800y')).toBe('x\uFFFDy');
    expect(storedText('😀')).toBe('😀');
    expect(storedText('6F1C1A9E-2B7A-4C1E-9D51-0A3F6F1F1F1F')).toBe(
      '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f',
    );
    expect(storedDetails({ at: new Date(0), gone: undefined, list: ['\0x'] })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      list: ['x'],
    });
  });

  it('verifies an intact chain and names the first broken entry', () => {
    const good = new ChainVerifier();
    good.feed(chain(5));
    expect(good.result()).toMatchObject({ ok: true, checked: 5, lastSeq: '5' });

    const edited = chain(5);
    edited[2] = { ...edited[2], reason: 'changed' };
    const v1 = new ChainVerifier();
    v1.feed(edited);
    expect(v1.result()).toMatchObject({
      ok: false,
      checked: 2,
      firstBrokenSeq: '3',
      problem: 'hash-mismatch',
    });

    const removed = chain(5).filter((e) => e.seq !== '4');
    const v2 = new ChainVerifier();
    v2.feed(removed);
    expect(v2.result()).toMatchObject({ ok: false, firstBrokenSeq: '4', problem: 'missing-entry' });

    // An entry rewritten with a fresh hash of its own still breaks the link of the next one.
    const rewritten = chain(5);
    const forged = { ...rewritten[1], reason: 'forged' };
    forged.hash = chainHash(forged.prevHash, forged);
    rewritten[1] = forged;
    const v3 = new ChainVerifier();
    v3.feed(rewritten);
    expect(v3.result()).toMatchObject({ ok: false, firstBrokenSeq: '3', problem: 'link-mismatch' });
  });
});
