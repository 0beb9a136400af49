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
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
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
