/**
 * The load generator (loadgen.mjs) seen from the orchestrator: started once, driven by commands
 * over IPC, and measured(), which runs one of its phases with the CPU and cluster windows open
 * between the marks it sends.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { flag, HERE } from './config.mjs';
import { sleep } from './helpers.mjs';
import { children } from './processes.mjs';
import { ClusterWindow, CpuWindow } from './readings.mjs';

let loadgen;
let nextId = 0;
const pending = new Map();
let markHandler;
export function startLoadgen() {
  loadgen = fork(join(HERE, 'loadgen.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(loadgen);
  loadgen.on('exit', () => children.delete(loadgen));
  loadgen.on('message', (msg) => {
    if (msg.mark) return markHandler?.(msg.mark);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  });
}
export function lg(cmd, a) {
  const id = ++nextId;
  return new Promise((res, rej) => {
    pending.set(id, { resolve: res, reject: rej });
    loadgen.send({ id, cmd, args: a });
  });
}

/** Lets the load generator exit (it does when its IPC channel closes). */
export function disconnectLoadgen() {
  loadgen?.connected && loadgen.disconnect();
}

/**
 * This machine is shared: before a measured phase, wait (at most QUIET_MAX_MS) for a second in
 * which other processes use less than QUIET_CORES of the 2 vCPUs. What they used during each
 * window is reported as cpu.otherCores either way.
 */
const QUIET_CORES = 0.5;
const QUIET_MAX_MS = flag('--quick') ? 0 : 5_000;
async function quiet(server, dbName) {
  const deadline = Date.now() + QUIET_MAX_MS;
  let others;
  do {
    const w = new CpuWindow(server, loadgen.pid, dbName);
    w.start();
    await sleep(1_000);
    others = w.end().otherCores;
    if (others < QUIET_CORES) return { waitedMs: QUIET_MAX_MS - (deadline - Date.now()), others };
  } while (Date.now() < deadline);
  return { waitedMs: QUIET_MAX_MS, others, gaveUp: true };
}

/** Runs a loadgen phase while measuring the server's CPU between the loadgen's marks. */
export async function measured(server, dbName, cmd, a) {
  const gate = await quiet(server, dbName);
  const win = new CpuWindow(server, loadgen.pid, dbName);
  const cluster = new ClusterWindow();
  let cpu;
  let clusterDone;
  markHandler = (m) => {
    if (m === 'start') {
      win.start();
      cluster.start();
    } else if (m === 'end') {
      cpu = win.end();
      clusterDone = cluster.end();
    }
  };
  const result = await lg(cmd, a);
  markHandler = undefined;
  const { otherDbCommitsPerSecond, ...postgres } = (await clusterDone) ?? {};
  if (otherDbCommitsPerSecond != null) cpu.otherDbCommitsPerSecond = otherDbCommitsPerSecond;
  return { ...result, cpu, postgres, quietGate: gate };
}
