import { spawn } from 'node:child_process';
import { API_MAIN } from './test-app';

export interface ApiRun {
  /** Exit code; null when killed (see timedOut). */
  code: number | null;
  output: string;
  /** How long the process lived. */
  ms: number;
  /** True when it was still running after the timeout and was killed. */
  timedOut: boolean;
}

/**
 * Runs the built api with exactly `env` (plus PATH) and waits for it to exit, for start-up
 * failures that TestApp.start, which waits for health, cannot observe.
 */
export function runApi(env: Record<string, string>, timeoutMs = 20_000): Promise<ApiRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [API_MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started, timedOut });
    });
  });
}
