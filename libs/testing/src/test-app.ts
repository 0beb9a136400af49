import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminEnv, login, newAdminCredentials, type TestUser } from './factories';

/** Where the e2e global setup leaves an initialised (empty) embedded data directory. */
export const PGLITE_TEMPLATE_DIR = join(process.cwd(), '.tmp', 'pglite-template');
export const API_MAIN = join(process.cwd(), 'dist', 'apps', 'api', 'src', 'main.js');
export const CLI_MAIN = join(process.cwd(), 'dist', 'apps', 'cli', 'src', 'main.js');

export const TEST_JWT_SECRET = 'test-secret-for-the-e2e-suites-only-0123456789';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Raw body (sent as is) for malformed-input tests. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** True when the suites run against real PostgreSQL (DATABASE_URL set), else embedded. */
export const onPostgres = (): boolean => !!process.env.DATABASE_URL;

/**
 * The built api (dist/) running as a real process on a loopback port, spoken to over HTTP:
 * what the suites test is what production runs.
 */
export class TestApp {
  private exited: Promise<number | null>;
  output = '';

  private constructor(
    private child: ChildProcess,
    readonly baseUrl: string,
    readonly env: Record<string, string>,
    readonly dataDir: string | undefined,
  ) {
    this.exited = this.watch(child);
  }

  private watch(child: ChildProcess): Promise<number | null> {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** Starts the api with a bootstrap admin, signed in (its credentials, to sign in again). */
  static async startWithAdmin(
    env: Record<string, string> = {},
  ): Promise<{ t: TestApp; admin: TestUser; credentials: { email: string; password: string } }> {
    const credentials = newAdminCredentials();
    const t = await TestApp.start({ ...adminEnv(credentials), ...env });
    try {
      return { t, admin: await login(t, credentials.email, credentials.password), credentials };
    } catch (error) {
      await t.close();
      throw error;
    }
  }

  /**
   * Starts the api: on the embedded database in a fresh copy of the template data directory, or
   * on the real PostgreSQL of DATABASE_URL (shared by all suites, so tests make unique data).
   * `env` overrides configuration for this process only.
   */
  static async start(env: Record<string, string> = {}): Promise<TestApp> {
    const port = await freePort();
    let dataDir: string | undefined;
    const settings: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      READ_RATE_LIMIT_PER_MINUTE: '1000000',
      HOST: '127.0.0.1',
      PORT: String(port),
      // Apps of one suite share nothing in Redis unless a test says so (scale tests do).
      REDIS_KEY_PREFIX: `test-${port}`,
      ...env,
    };
    if (onPostgres()) {
      settings.JWT_SECRET ??= TEST_JWT_SECRET;
    } else if (!settings.DATA_DIR) {
      dataDir = mkdtempSync(join(tmpdir(), 'kinship-e2e-'));
      cpSync(PGLITE_TEMPLATE_DIR, join(dataDir, 'pg'), { recursive: true });
      settings.DATA_DIR = dataDir;
    }
    const t = new TestApp(spawnApi(settings), `http://127.0.0.1:${port}`, settings, dataDir);
    await t.waitUntilLive();
    return t;
  }

  private async waitUntilLive(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    while (Date.now() < deadline && !done) {
      try {
        const res = await fetch(`${this.baseUrl}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.child.kill('SIGKILL');
    throw new Error(`api did not start:\n${this.output}`);
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const url = path.startsWith('/api/') || path.startsWith('/health') ? path : `/api/v1${path}`;
    const response = await fetch(this.baseUrl + url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  /** Stops the process (SIGTERM, graceful) and starts it again on the same data and port. */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    this.child = spawnApi(this.env);
    this.exited = this.watch(this.child);
    await this.waitUntilLive();
  }

  /** Ends the process; resolves with its exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  async close(): Promise<void> {
    await this.stop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function spawnApi(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [API_MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the built cli with the suite's database settings; resolves with exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: process.env.DATABASE_URL,
        JWT_SECRET: TEST_JWT_SECRET,
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
