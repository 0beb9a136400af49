import { randomBytes } from 'node:crypto';
import {
  Adapter,
  type BroadcastOptions,
  type PrivateSessionId,
  type Room,
  type Session,
} from 'socket.io-adapter';

type StoredSession = Omit<Session, 'missedPackets'> & { disconnectedAt: number };

/** A broadcast kept for recovery: where its JSON bytes are, and who it was for. */
interface StoredPacket {
  seq: number;
  emittedAt: number;
  rooms: readonly Room[];
  except: readonly Room[];
  chunk: Buffer;
  start: number;
  end: number;
}

const EVENT = 2; // socket.io-parser's PacketType.EVENT (binary events are not kept)
const SWEEP_EVERY_MS = 10_000;
const CHUNK_BYTES = 256 * 1024;

/**
 * The in-memory adapter (one process, no REDIS_URL) with connection-state recovery, keeping each
 * broadcast for `maxDisconnectionDuration` as JSON bytes outside the JavaScript heap.
 *
 * Why not socket.io's SessionAwareAdapter: it keeps the packet objects themselves (the message,
 * its nested objects and two room Sets: ~1.5 KB in ~20 objects per broadcast). They all outlive
 * the young generation, so at 200 messages/s the old generation grew by ~0.3 MB/s and V8, which
 * keeps it only ~10% above its live size, ran a full collection every 5-15 s, each stalling the
 * event loop 15-25 ms: the slowest 1% of deliveries were 3-5x slower (bench/README.md, "Chat").
 * Here the bytes go to 256 KB buffers and each packet leaves one small record on the heap.
 *
 * Recovery behaves as socket.io's: the offset is appended to each kept packet's data, and a
 * session gets the packets after its offset that were sent to one of its rooms and not excepted.
 */
export class CompactRecoveryAdapter extends Adapter {
  private readonly sessions = new Map<PrivateSessionId, StoredSession>();
  private readonly packets: StoredPacket[] = [];
  /** One array per distinct room list, shared by the packets sent to it. */
  private readonly roomLists = new Map<string, readonly Room[]>();
  /** Offsets of another process or an earlier start never match: those get a fresh session. */
  private readonly prefix = randomBytes(4).toString('base64url');
  private seq = 0;
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private readonly maxDisconnectionDuration: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(nsp: any) {
    super(nsp);
    this.maxDisconnectionDuration =
      nsp.server.opts.connectionStateRecovery.maxDisconnectionDuration;
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  override close(): void {
    clearInterval(this.sweeper);
  }

  override persistSession(session: Omit<Session, 'missedPackets'>): void {
    this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    const session = this.sessions.get(pid);
    this.sessions.delete(pid);
    const from = this.indexAfter(offset);
    if (
      !session ||
      session.disconnectedAt + this.maxDisconnectionDuration < Date.now() ||
      from === undefined
    ) {
      // Expired, unknown, or the offset is too old: socket.io starts a fresh session.
      return null as unknown as Promise<Session>;
    }
    const missedPackets: unknown[][] = [];
    for (let i = from; i < this.packets.length; i++) {
      const p = this.packets[i];
      if (reaches(session.rooms, p)) {
        missedPackets.push(JSON.parse(p.chunk.toString('utf8', p.start, p.end)) as unknown[]);
      }
    }
    const { disconnectedAt: _, ...restored } = session;
    return Promise.resolve({ ...restored, missedPackets });
  }

  override broadcast(packet: any, opts: BroadcastOptions): void {
    // As socket.io's: event packets without an acknowledgement and not volatile are kept.
    if (packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined) {
      const seq = this.seq++;
      packet.data.push(`${this.prefix}${seq.toString(36)}`);
      this.keep(seq, JSON.stringify(packet.data), opts);
    }
    super.broadcast(packet, opts);
  }

  /** Drops expired sessions and the packets older than any session could ask for. */
  sweep(now: number): void {
    const threshold = now - this.maxDisconnectionDuration;
    for (const [pid, session] of this.sessions) {
      if (session.disconnectedAt < threshold) this.sessions.delete(pid);
    }
    let expired = 0;
    while (expired < this.packets.length && this.packets[expired].emittedAt < threshold) expired++;
    if (expired) this.packets.splice(0, expired);
    if (this.roomLists.size > 10_000) this.roomLists.clear();
  }

  private keep(seq: number, json: string, opts: BroadcastOptions): void {
    const bytes = Buffer.byteLength(json);
    let chunk = this.chunk;
    let start = this.used;
    if (bytes > CHUNK_BYTES) {
      chunk = Buffer.allocUnsafeSlow(bytes);
      start = 0;
    } else if (this.used + bytes > CHUNK_BYTES) {
      chunk = this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      start = this.used = 0;
    }
    chunk.write(json, start);
    if (chunk === this.chunk) this.used += bytes;
    this.packets.push({
      seq,
      emittedAt: Date.now(),
      rooms: this.roomList(opts.rooms),
      except: this.roomList(opts.except),
      chunk,
      start,
      end: start + bytes,
    });
  }

  private roomList(rooms: Set<Room> | undefined): readonly Room[] {
    if (!rooms?.size) return NO_ROOMS;
    const key = [...rooms].join('\n');
    let list = this.roomLists.get(key);
    if (!list) this.roomLists.set(key, (list = Object.freeze([...rooms])));
    return list;
  }

  /** The index of the first packet after `offset`; undefined when it is not one of ours now. */
  private indexAfter(offset: string): number | undefined {
    if (!offset?.startsWith(this.prefix)) return undefined;
    const digits = offset.slice(this.prefix.length);
    const seq = parseInt(digits, 36);
    const first = this.packets[0]?.seq ?? this.seq;
    if (seq.toString(36) !== digits || seq < first || seq >= this.seq) return undefined;
    return seq - first + 1;
  }
}

const NO_ROOMS: readonly Room[] = Object.freeze([]);

function reaches(sessionRooms: Room[], packet: StoredPacket): boolean {
  const included = !packet.rooms.length || sessionRooms.some((r) => packet.rooms.includes(r));
  return included && !sessionRooms.some((r) => packet.except.includes(r));
}
