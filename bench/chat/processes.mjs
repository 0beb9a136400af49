/**
 * The servers under test as child processes: a free port, spawning with the inspector on, waiting
 * for /health, stopping, and evaluating an expression inside a server through its inspector.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { sleep } from './helpers.mjs';

/** Every child process still running (the servers and the load generator), killed on Ctrl-C. */
export const children = new Set();
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Spawns a server with the inspector on (for a forced GC before memory readings). */
export function spawnServer(name, script, env, extraArgs = []) {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...extraArgs, script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const proc = { name, child, pid: child.pid, output: '', inspector: undefined };
  const onData = (d) => {
    proc.output += d.toString();
    if (proc.output.length > 200_000) proc.output = proc.output.slice(-100_000);
    const m = /Debugger listening on (ws:\/\/\S+)/.exec(proc.output);
    if (m) proc.inspector = m[1];
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  proc.exited = new Promise((r) =>
    child.on('exit', (code, signal) => (children.delete(child), r(code ?? signal))),
  );
  return proc;
}

export async function waitHealthy(proc, baseUrl, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200 && proc.inspector) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${proc.name} did not start:\n${proc.output.slice(-4000)}`);
}

export async function stopProcess(proc, timeoutMs = 20_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Runs `expression` in the server through its inspector, after a full garbage collection. */
export async function inspect(proc, expression, gc = true) {
  const ws = new WebSocket(proc.inspector);
  await new Promise((res, rej) => (ws.once('open', res), ws.once('error', rej)));
  let id = 0;
  const call = (method, params = {}) =>
    new Promise((res, rej) => {
      const my = ++id;
      const onMsg = (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.id !== my) return;
        ws.off('message', onMsg);
        if (msg.error) rej(new Error(JSON.stringify(msg.error)));
        else res(msg.result);
      };
      ws.on('message', onMsg);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  try {
    if (gc) {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
    }
    const r = await call('Runtime.evaluate', { expression, returnByValue: true });
    return r.result.value;
  } finally {
    ws.close();
  }
}
