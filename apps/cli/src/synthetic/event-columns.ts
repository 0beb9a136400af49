/** Event kinds of the synthetic log, as small numbers (names: KIND_NAMES). */
export const K = {
  threadRead: 0,
  chatRead: 1,
  threadCreated: 2,
  postCreated: 3,
  chatMessage: 4,
  reaction: 5,
  joined: 6,
  left: 7,
  /** Dropped while generating (e.g. a read before the group had a thread); never written. */
  dropped: 255,
} as const;

export const KIND_NAMES: Record<number, string> = {
  0: 'thread_read',
  1: 'chat_read',
  2: 'thread_created',
  3: 'post_created',
  4: 'chat_message_sent',
  5: 'reaction_given',
  6: 'group_joined',
  7: 'group_left',
};

export const isContribution = (kind: number) =>
  kind === K.threadCreated || kind === K.postCreated || kind === K.chatMessage;
export const isRead = (kind: number) => kind === K.threadRead || kind === K.chatRead;

/** Namespaces of the object and context ids (0: none). */
export const NS = { none: 0, group: 1, thread: 2, post: 3, message: 4, user: 5 } as const;

/**
 * Events as parallel typed arrays: ten million of them fit in a few hundred megabytes, where
 * objects would not. Times are epoch milliseconds.
 */
export class EventColumns {
  n = 0;
  time: Float64Array;
  user: Int32Array;
  group: Int16Array;
  kind: Uint8Array;
  objNs: Uint8Array;
  obj: Int32Array;
  ctxNs: Uint8Array;
  ctx: Int32Array;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.user = new Int32Array(capacity);
    this.group = new Int16Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.objNs = new Uint8Array(capacity);
    this.obj = new Int32Array(capacity);
    this.ctxNs = new Uint8Array(capacity);
    this.ctx = new Int32Array(capacity);
  }

  push(time: number, user: number, group: number, kind: number, objNs = 0, obj = 0): number {
    if (this.n === this.time.length) this.grow();
    const i = this.n++;
    this.time[i] = time;
    this.user[i] = user;
    this.group[i] = group;
    this.kind[i] = kind;
    this.objNs[i] = objNs;
    this.obj[i] = obj;
    this.ctxNs[i] = 0;
    this.ctx[i] = 0;
    return i;
  }

  private grow(): void {
    const size = Math.max(1024, this.time.length * 2);
    const copy = <T extends { set(a: T): void }>(a: T, make: (n: number) => T) => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.time = copy(this.time, (n) => new Float64Array(n));
    this.user = copy(this.user, (n) => new Int32Array(n));
    this.group = copy(this.group, (n) => new Int16Array(n));
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.objNs = copy(this.objNs, (n) => new Uint8Array(n));
    this.obj = copy(this.obj, (n) => new Int32Array(n));
    this.ctxNs = copy(this.ctxNs, (n) => new Uint8Array(n));
    this.ctx = copy(this.ctx, (n) => new Int32Array(n));
  }

  /**
   * The kept events (kind != dropped) in time order, with every time made unique by moving a
   * tied event 1 ms later, so the log order of the database ids equals the time order.
   */
  sortedUnique(since: number): EventColumns {
    let kept = 0;
    for (let i = 0; i < this.n; i++) if (this.kind[i] !== K.dropped) kept++;
    const keep = new Uint32Array(kept);
    for (let i = 0, k = 0; i < this.n; i++) if (this.kind[i] !== K.dropped) keep[k++] = i;
    const order = radixSortByTime(keep, this.time, since);
    const out = new EventColumns(order.length);
    let previous = -Infinity;
    for (const i of order) {
      const t = Math.max(this.time[i], previous + 1);
      previous = t;
      const j = out.push(t, this.user[i], this.group[i], this.kind[i], this.objNs[i], this.obj[i]);
      out.ctxNs[j] = this.ctxNs[i];
      out.ctx[j] = this.ctx[i];
    }
    return out;
  }
}

/** Stable LSD radix sort of event indices by time (ms since `since`, below 2^36). */
function radixSortByTime(
  idx: Uint32Array<ArrayBuffer>,
  time: Float64Array,
  since: number,
): Uint32Array<ArrayBuffer> {
  const BITS = 18;
  const SIZE = 1 << BITS;
  let src = idx;
  let dst = new Uint32Array(idx.length);
  for (let pass = 0; pass < 2; pass++) {
    const digit = (i: number) => {
      const key = Math.floor(time[i] - since);
      return pass === 0 ? key % SIZE : Math.floor(key / SIZE) % SIZE;
    };
    const counts = new Uint32Array(SIZE + 1);
    for (let k = 0; k < src.length; k++) counts[digit(src[k]) + 1]++;
    for (let d = 0; d < SIZE; d++) counts[d + 1] += counts[d];
    for (let k = 0; k < src.length; k++) dst[counts[digit(src[k])]++] = src[k];
    [src, dst] = [dst, src];
  }
  return src;
}
