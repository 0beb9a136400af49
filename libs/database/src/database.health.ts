import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness: the database answers a trivial query within the timeout. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  async ping(timeoutMs = 2_000): Promise<{ up: boolean; latencyMs?: number; error?: string }> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database did not answer in time')), timeoutMs);
        }),
      ]);
      return { up: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { up: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
