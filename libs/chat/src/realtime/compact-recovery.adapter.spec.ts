import { jest } from '@jest/globals';
import fc from 'fast-check';
import { SessionAwareAdapter } from 'socket.io-adapter';
import { CompactRecoveryAdapter } from './compact-recovery.adapter';

const MAX_DISCONNECTION_MS = 120_000;

/** The namespace an adapter needs when no socket is connected: broadcasts reach nobody. */
function namespace() {
  return {
    name: '/',
    sockets: new Map(),
    server: {
      encoder: { encode: (packet: unknown) => [JSON.stringify(packet)] },
      opts: { connectionStateRecovery: { maxDisconnectionDuration: MAX_DISCONNECTION_MS } },
    },
  };
}

type AnyAdapter = CompactRecoveryAdapter | SessionAwareAdapter;

interface Broadcast {
  data: unknown[];
  rooms: string[];
  except: string[];
  volatile: boolean;
  withAck: boolean;
}

/** Sends the broadcasts; answers the offset each kept packet got (undefined when not kept). */
function send(adapter: AnyAdapter, broadcasts: Broadcast[]): (string | undefined)[] {
  return broadcasts.map((b) => {
    const packet = {
      type: 2,
      nsp: '/',
      data: structuredClone(b.data),
      ...(b.withAck ? { id: 1 } : {}),
    };
    const length = packet.data.length;
    adapter.broadcast(packet, {
      rooms: new Set(b.rooms),
      except: new Set(b.except),
      flags: b.volatile ? { volatile: true } : {},
    });
    return packet.data.length > length ? (packet.data.at(-1) as string) : undefined;
  });
}

/** A plain broadcast to group:a (kept for recovery). */
const toGroupA = (data: unknown[]): Broadcast => ({
  data,
  rooms: ['group:a'],
  except: [],
  volatile: false,
  withAck: false,
});

const session = (rooms: string[]) => ({ sid: 'sid', pid: 'pid', rooms, data: { user: 'u' } });

const room = fc.constantFrom('group:a', 'group:b', 'user:1', 'user:2', 'moderators:a');
const broadcast: fc.Arbitrary<Broadcast> = fc.record({
  data: fc.tuple(
    fc.constantFrom('chat:message', 'presence', 'chat:removed'),
    fc.record({
      body: fc.string(),
      n: fc.integer(),
      at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    }),
  ),
  rooms: fc.uniqueArray(room, { maxLength: 3 }),
  except: fc.uniqueArray(room, { maxLength: 1 }),
  volatile: fc.boolean(),
  withAck: fc.boolean(),
});

describe('CompactRecoveryAdapter', () => {
  const adapters: AnyAdapter[] = [];
  const make = <T extends AnyAdapter>(kind: new (nsp: unknown) => T): T => {
    const adapter = new kind(namespace());
    adapters.push(adapter);
    return adapter;
  };
  afterAll(() => adapters.forEach((a) => void a.close()));

  it("restores exactly what socket.io's SessionAwareAdapter restores", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(broadcast, { maxLength: 30 }),
        fc.uniqueArray(room, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        async (broadcasts, rooms, pick) => {
          const ours = make(CompactRecoveryAdapter);
          const theirs = make(SessionAwareAdapter);
          const ourOffsets = send(ours, broadcasts);
          const theirOffsets = send(theirs, broadcasts);
          // The same packets are kept (an offset appended) by both.
          expect(ourOffsets.map((o) => o !== undefined)).toEqual(
            theirOffsets.map((o) => o !== undefined),
          );
          const kept = ourOffsets.flatMap((o, i) => (o ? [i] : []));
          if (!kept.length) return;
          const at = kept[pick % kept.length];
          ours.persistSession(session(rooms));
          theirs.persistSession(session(rooms));
          const mine = await ours.restoreSession('pid', ourOffsets[at]!);
          const reference = await theirs.restoreSession('pid', theirOffsets[at]!);
          // Offsets differ between the two; the packets without them must not.
          const strip = (packets: unknown[][]) => packets.map((p) => p.slice(0, -1));
          expect(strip(mine.missedPackets)).toEqual(strip(reference.missedPackets));
          expect(mine).toMatchObject({ sid: 'sid', pid: 'pid', rooms, data: { user: 'u' } });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('starts a fresh session for an unknown, foreign, malformed or expired offset', async () => {
    const adapter = make(CompactRecoveryAdapter);
    const [first] = send(adapter, [toGroupA(['presence', { n: 1 }])]);
    const other = make(CompactRecoveryAdapter);
    const [foreign] = send(other, [toGroupA(['presence', { n: 1 }])]);
    for (const offset of [foreign!, `${first!}!`, `${first!.slice(0, 6)}zz`, '', 'x']) {
      adapter.persistSession(session(['group:a']));
      expect(await adapter.restoreSession('pid', offset)).toBeNull();
    }
    // A session is restored once; a second attempt with the same pid starts afresh.
    adapter.persistSession(session(['group:a']));
    expect(await adapter.restoreSession('pid', first!)).toMatchObject({ missedPackets: [] });
    expect(await adapter.restoreSession('pid', first!)).toBeNull();
  });

  it('forgets packets and sessions older than maxDisconnectionDuration', async () => {
    const adapter = make(CompactRecoveryAdapter);
    const [old] = send(adapter, [toGroupA(['chat:message', { body: 'old' }])]);
    adapter.persistSession({ ...session(['group:a']), pid: 'gone' });
    const later = Date.now() + MAX_DISCONNECTION_MS + 1;
    jest.useFakeTimers({ now: later, doNotFake: ['setInterval', 'clearInterval'] });
    try {
      const [recent] = send(adapter, [toGroupA(['chat:message', { body: 'recent' }])]);
      send(adapter, [toGroupA(['chat:message', { body: 'missed' }])]);
      expect(await adapter.restoreSession('gone', recent!)).toBeNull();
      adapter.sweep(later);
      adapter.persistSession(session(['group:a']));
      expect(await adapter.restoreSession('pid', old!)).toBeNull();
      adapter.persistSession(session(['group:a']));
      const restored = await adapter.restoreSession('pid', recent!);
      expect(restored.missedPackets.map((p) => (p[1] as { body: string }).body)).toEqual([
        'missed',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps packets larger than a buffer chunk, and many across chunks', async () => {
    const adapter = make(CompactRecoveryAdapter);
    const [start] = send(adapter, [toGroupA(['chat:message', { body: 'start' }])]);
    const bodies = [
      'é'.repeat(300_000),
      ...Array.from({ length: 2_000 }, (_, i) => `${i} ${'x'.repeat(400)} ✓`),
    ];
    send(
      adapter,
      bodies.map((body) => toGroupA(['chat:message', { body }])),
    );
    adapter.persistSession(session(['group:a']));
    const restored = await adapter.restoreSession('pid', start!);
    expect(restored.missedPackets.map((p) => (p[1] as { body: string }).body)).toEqual(bodies);
  });
});
