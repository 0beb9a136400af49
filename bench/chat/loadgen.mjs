/**
 * The load generator of the chat benchmark, a child process of run.mjs (commands over IPC), so
 * its CPU is never counted as the server's. Senders are socket.io-client sockets; the other
 * members of a room are LightClients (see light-client.mjs). Every member subscribes to the
 * room, so a message is delivered to every member, its sender included (as the api does).
 *
 * Commands: connect, open (fixed-rate, open-loop sends: latency), flood (each sender keeps a
 * window of sends in flight: throughput and CPU per delivery), close. At the start and end of
 * every measured window it sends {mark} to the parent, which then reads the server's CPU.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { LightClient } from './light-client.mjs';
import { percentiles } from './percentiles.mjs';

const sets = new Map();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const BODY =
  'Has anyone tried a low-residue diet during a flare? Mine started on Monday and I am not sure what helps.';

/** A growable Float64Array of samples. */
class Samples {
  buf = new Float64Array(1 << 16);
  n = 0;
  push(v) {
    if (this.n === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = v;
  }
  stats() {
    return percentiles(this.buf, this.n);
  }
}

function connectSio(url, auth) {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

/** The receive hook shared by all members of a set: counts, and times tracked messages. */
function makeSet(tag) {
  const set = {
    tag,
    members: [],
    senders: [],
    received: 0,
    tracked: null, // Map clientMsgId -> t0 of the messages whose fan-out is timed
    fanout: null, // Samples
  };
  set.onMessage = (clientMsgId, at) => {
    set.received++;
    if (set.tracked) {
      const t0 = set.tracked.get(clientMsgId);
      if (t0 !== undefined) set.fanout.push(at - t0);
    }
  };
  sets.set(tag, set);
  return set;
}

async function connect({ tag, url, groupId, members, concurrency = 50 }) {
  const set = sets.get(tag) ?? makeSet(tag);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const m = members[next++];
      if (m.sender) {
        const s = await connectSio(url, m.auth);
        const ack = await s.timeout(30_000).emitWithAck('chat:subscribe', { groupId });
        if (!ack?.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
        s.on('chat:message', (msg) => set.onMessage(msg.clientMsgId, performance.now()));
        set.senders.push(s);
        set.members.push({ close: () => s.close() });
      } else {
        const c = await LightClient.connect(url, m.auth);
        c.onMessage = set.onMessage;
        const ack = await c.emitWithAck('chat:subscribe', { groupId }, 60_000);
        if (!ack?.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
        set.members.push(c);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    members: set.members.length,
    senders: set.senders.length,
    ms: Math.round(performance.now() - started),
  };
}

function mark(name) {
  process.send({ mark: name });
}

/**
 * Fixed aggregate rate, round-robin over the senders, scheduled from the clock (open loop: a slow
 * server does not slow the sends, so queueing shows in the latency). Messages sent during the
 * measured window are timed at every member (fan-out) and at their sender (ack).
 */
async function open({ tag, groupId, rate, warmupMs, durationMs, drainMs }) {
  const set = sets.get(tag);
  const senders = set.senders;
  const interval = 1000 / rate;
  const ackLatency = new Samples();
  set.tracked = new Map();
  set.fanout = new Samples();
  let sent = 0;
  let measuredSent = 0;
  let acked = 0;
  let ackErrors = 0;
  let firstError;
  let maxLagMs = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + durationMs;
  let marked = false;
  let receivedAtStart = 0;
  let k = 0;
  while (true) {
    const now = performance.now();
    if (!marked && now >= measureFrom) {
      marked = true;
      receivedAtStart = set.received;
      loop.enable();
      mark('start');
    }
    if (now >= measureTo) break;
    // Every send that is due by now (several when the loop was late).
    while (start + k * interval <= now) {
      const due = start + k * interval;
      maxLagMs = Math.max(maxLagMs, now - due);
      const sender = senders[k % senders.length];
      k++;
      const clientMsgId = randomUUID();
      const t0 = performance.now();
      const measured = t0 >= measureFrom && t0 < measureTo;
      if (measured) {
        set.tracked.set(clientMsgId, t0);
        measuredSent++;
      }
      sent++;
      sender.emit('chat:send', { groupId, clientMsgId, body: BODY }, (ack) => {
        if (ack?.ok) {
          acked++;
          if (measured) ackLatency.push(performance.now() - t0);
        } else {
          ackErrors++;
          firstError ??= ack;
        }
      });
    }
    await sleep(Math.max(0, Math.min(interval, start + k * interval - performance.now())));
  }
  mark('end');
  loop.disable();
  const receivedInWindow = set.received - receivedAtStart;
  await sleep(drainMs);
  const fanout = set.fanout.stats();
  const expected = measuredSent * set.members.length;
  set.tracked = null;
  return {
    rateTarget: rate,
    senders: senders.length,
    members: set.members.length,
    sent,
    measuredSent,
    achievedRate: Math.round((measuredSent / durationMs) * 1000 * 10) / 10,
    acked,
    ackErrors,
    firstError,
    deliveriesInWindow: receivedInWindow,
    fanoutDelivered: fanout?.n ?? 0,
    fanoutExpected: expected,
    fanoutMs: fanout,
    ackMs: ackLatency.stats(),
    generator: {
      maxSendLagMs: Math.round(maxLagMs * 10) / 10,
      loopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
    },
  };
}

/** Every sender keeps `window` sends in flight until the end; counts acks and deliveries. */
async function flood({ tag, groupId, window, warmupMs, durationMs }) {
  const set = sets.get(tag);
  const ackLatency = new Samples();
  let acked = 0;
  let measuredAcks = 0;
  let ackErrors = 0;
  let firstError;
  let inFlight = 0;
  let measuring = false;
  let stop = false;
  const sendOne = (sender) => {
    if (stop) return;
    inFlight++;
    const t0 = performance.now();
    sender.emit('chat:send', { groupId, clientMsgId: randomUUID(), body: BODY }, (ack) => {
      inFlight--;
      if (ack?.ok) {
        acked++;
        if (measuring) {
          measuredAcks++;
          ackLatency.push(performance.now() - t0);
        }
      } else {
        ackErrors++;
        firstError ??= ack;
      }
      sendOne(sender);
    });
  };
  for (const s of set.senders) for (let i = 0; i < window; i++) sendOne(s);
  await sleep(warmupMs);
  const receivedAtStart = set.received;
  measuring = true;
  const t0 = performance.now();
  mark('start');
  await sleep(durationMs);
  mark('end');
  const elapsed = performance.now() - t0;
  measuring = false;
  const deliveries = set.received - receivedAtStart;
  stop = true;
  for (let i = 0; i < 200 && inFlight > 0; i++) await sleep(50);
  await sleep(500);
  return {
    senders: set.senders.length,
    window,
    members: set.members.length,
    measuredMs: Math.round(elapsed),
    acked: measuredAcks,
    ackedPerSecond: Math.round((measuredAcks / elapsed) * 1000),
    deliveries,
    deliveriesPerSecond: Math.round((deliveries / elapsed) * 1000),
    ackErrors,
    firstError,
    unansweredAtEnd: inFlight,
    ackMs: ackLatency.stats(),
    totalAcked: acked,
  };
}

async function close({ tag }) {
  const set = sets.get(tag);
  if (!set) return { closed: 0 };
  for (const m of set.members) m.close();
  sets.delete(tag);
  await sleep(300);
  return { closed: set.members.length };
}

const commands = { connect, open, flood, close };
process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await commands[cmd](args);
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: error?.stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
