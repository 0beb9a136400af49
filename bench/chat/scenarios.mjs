/**
 * The scenarios, each against one target (bare or Kinship): connecting and closing rooms in the
 * load generator, memory per client, the fan-out latency rounds and the floods (CPU per delivery,
 * acknowledged msg/s), and the ABBA order of the rounds.
 */
import { CFG } from './config.mjs';
import { log, round, sleep } from './helpers.mjs';
import { lg, measured } from './loadgen-control.mjs';
import { inspect } from './processes.mjs';
import { rssKb } from './readings.mjs';

/** `n` room members: the first `senders` are socket.io-client senders, the rest LightClients. */
function membersFor(target, n, senders) {
  return Array.from({ length: n }, (_, i) => ({
    sender: i < senders,
    auth: target.authFor(i),
  }));
}

export async function memoryReading(target) {
  const value = await inspect(target.proc, 'JSON.stringify(process.memoryUsage())');
  const mu = JSON.parse(value);
  return {
    rssKb: rssKb(target.proc.pid),
    heapUsedKb: Math.round(mu.heapUsed / 1024),
    externalKb: Math.round(mu.external / 1024),
  };
}

/** Connects `n` members of the target's room (tag `${scenario}-${target}`); the room stays up across rounds. */
export async function connectRoom(scenario, target, n, senders) {
  const conn = await lg('connect', {
    tag: `${scenario}-${target.name}`,
    url: target.url,
    groupId: target.groupId,
    members: membersFor(target, n, senders),
    concurrency: 20,
  });
  return conn;
}
export const closeRoom = (scenario, target) => lg('close', { tag: `${scenario}-${target.name}` });

/** 1,000 clients: resident memory per client (0 vs 1,000 connected and subscribed). */
export async function connectLarge(target) {
  const c = CFG.large;
  await sleep(1_000);
  const before = await memoryReading(target);
  const conn = await connectRoom('large', target, c.clients, c.senders);
  log(
    `${target.name}: ${conn.members} clients connected and subscribed in ${(conn.ms / 1000).toFixed(1)} s`,
  );
  await sleep(3_000);
  const rssNoGc = rssKb(target.proc.pid);
  const after = await memoryReading(target);
  const memory = {
    clients: c.clients,
    before,
    after,
    rssNoGcKb: rssNoGc,
    kbPerClient: round((after.rssKb - before.rssKb) / c.clients, 1),
    kbPerClientNoGc: round((rssNoGc - before.rssKb) / c.clients, 1),
    heapKbPerClient: round((after.heapUsedKb - before.heapUsedKb) / c.clients, 1),
    connectMs: conn.ms,
  };
  log(
    `${target.name}: memory ${memory.kbPerClient} KB/client (RSS after GC; ${memory.kbPerClientNoGc} without forcing GC)`,
  );
  return memory;
}

/** The round's WAL flushing, when the cluster flushed at all (Kinship's rounds). */
const walNote = (r) =>
  r.postgres?.walSyncs
    ? `; WAL flushes ${r.postgres.walSyncs} (${r.postgres.walSyncMs} ms), busiest 250 ms ${r.postgres.walSyncMsBusiestSlice} ms (slice ${r.postgres.busiestSliceMs} ms, longest ${r.postgres.longestSliceMs}), ${round(r.postgres.walBytes / 1024, 0)} KB written (${r.postgres.walFullPageImages} full-page images)`
    : '';

export async function largeLatency(target) {
  const r = await measured(target.proc, target.dbName, 'open', {
    tag: `large-${target.name}`,
    groupId: target.groupId,
    ...CFG.large,
  });
  log(
    `${target.name}: 1,000 x 20/s fan-out p50 ${r.fanoutMs?.p50} p99 ${r.fanoutMs?.p99} ms; ack p99 ${r.ackMs?.p99} ms${walNote(r)}`,
  );
  return r;
}

export async function smallLatency(target) {
  const r = await measured(target.proc, target.dbName, 'open', {
    tag: `small-${target.name}`,
    groupId: target.groupId,
    ...CFG.small,
  });
  log(
    `${target.name}: 100 x 200/s fan-out p50 ${r.fanoutMs?.p50} p99 ${r.fanoutMs?.p99} ms; ack p99 ${r.ackMs?.p99} ms${walNote(r)}`,
  );
  return r;
}

/** The 100-member room of the latency phase, every sender keeping CFG.cpu.window sends in flight. */
export async function cpuFlood(target) {
  const c = CFG.cpu;
  const r = await measured(target.proc, target.dbName, 'flood', {
    tag: `small-${target.name}`,
    groupId: target.groupId,
    ...c,
  });
  r.serverUsPerDelivery = round(r.cpu.serverCpuUs / r.deliveries, 2);
  r.totalUsPerDelivery = round(
    (r.cpu.serverCpuUs + r.cpu.pgBackendCpuUs + r.cpu.pgSharedCpuUs) / r.deliveries,
    2,
  );
  log(
    `${target.name}: 100-member flood ${r.ackedPerSecond} acks/s, ${r.deliveriesPerSecond} deliveries/s, ` +
      `${r.serverUsPerDelivery} µs server CPU/delivery (${r.totalUsPerDelivery} with PostgreSQL), server ${r.cpu.serverCores} cores`,
  );
  return r;
}

export async function ackFlood(target) {
  const c = CFG.acks;
  const r = await measured(target.proc, target.dbName, 'flood', {
    tag: `acks-${target.name}`,
    groupId: target.groupId,
    ...c,
  });
  r.serverUsPerAck = round(r.cpu.serverCpuUs / r.acked, 1);
  r.pgUsPerAck = round((r.cpu.pgBackendCpuUs + r.cpu.pgSharedCpuUs) / r.acked, 1);
  log(
    `${target.name}: ${c.senders} senders x window ${c.window}: ${r.ackedPerSecond} acked msg/s (server ${r.cpu.serverCores} cores, errors ${r.ackErrors})`,
  );
  return r;
}

/** Round r runs bare then Kinship, or Kinship then bare (ABBA), so drift in the machine's load hits both. */
export const orderOf = (r) => (r % 2 ? ['kinship', 'bare'] : ['bare', 'kinship']);
