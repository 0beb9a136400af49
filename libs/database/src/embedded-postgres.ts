import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const logger = new Logger('EmbeddedPostgres');

/**
 * The embedded default: PGlite (PostgreSQL compiled to WebAssembly) in this process, served over
 * the PostgreSQL wire protocol on a loopback port so that TypeORM uses the very same `postgres`
 * driver, SQL and migrations as in production.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const pgDir = join(dataDir, 'pg');
    mkdirSync(pgDir, { recursive: true });
    const lockFile = takeDataDirLock(dataDir);
    try {
      const db = await PGlite.create({ dataDir: pgDir });
      // The socket server drops connections beyond maxConnections: keep it above the pool size.
      const server = new PGLiteSocketServer({
        db: keepExchangesWhole(db),
        host: '127.0.0.1',
        port: 0,
        maxConnections,
      });
      await server.start();
      const address = server.getServerConn(); // "127.0.0.1:PORT"
      logger.log(`embedded database in ${pgDir}`);
      return new EmbeddedPostgres(db, server, lockFile, `postgres://postgres@${address}/postgres`);
    } catch (error) {
      rmSync(lockFile, { force: true });
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    rmSync(this.lockFile, { force: true });
  }
}

/** Protocol messages that end an exchange: Sync, simple Query, Terminate. */
const EXCHANGE_END = new Set([0x53, 0x51, 0x58]);

/**
 * pglite-socket queues every protocol message on its own and keeps one connection's turn only
 * inside an explicit transaction (BEGIN…COMMIT). An extended-query exchange (Parse, Bind, Describe,
 * Execute … Sync) of one connection could then interleave with another's on the one PGlite
 * session: the unnamed statement and portal are clobbered ("portal does not exist") and, worse,
 * parameters cross between queries. Reporting "in a transaction" from the first message of an
 * exchange until its Sync makes the socket server keep the turn for the whole exchange.
 */
function keepExchangesWhole(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => open || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          // A startup packet begins with its length (first byte 0) and is an exchange of its own.
          open = message[0] !== 0 && !EXCHANGE_END.has(message[0]);
          return target.execProtocolRawStream(message, options);
        };
      }
      if (property === 'exec') {
        // The server's clean-up after a connection dropped mid-exchange (it sends ROLLBACK).
        return (...args: Parameters<PGlite['exec']>) => {
          open = false;
          return target.exec(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * PGlite has no lock of its own: two processes on one data directory would corrupt it. A pid file
 * refuses a second live process and is taken over when its owner died (even by SIGKILL).
 */
function takeDataDirLock(dataDir: string): string {
  const lockFile = join(dataDir, 'kinship.pid');
  try {
    const owner = Number(readFileSync(lockFile, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `DATA_DIR ${dataDir} is in use by process ${owner}. The embedded database serves one process; ` +
          'set DATABASE_URL to share PostgreSQL between several.',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(lockFile, String(process.pid));
  return lockFile;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
