import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { ExportFile, ExportFormat } from '../entities/export.entity';

export type Cell = string | number | null;

export interface DataFileOptions {
  /**
   * Every cell is a number, null or a string of letters, digits, `_`, `.` and `-` (pseudonyms,
   * codes, kinds): nothing to quote or escape, so rows are joined directly, ten times faster
   * than a general CSV writer, which matters for the millions of rows of events.
   */
  plain?: boolean;
}

/**
 * One data file of an export, written as a stream: CSV (header first; cells quoted by
 * csv-stringify unless the file is plain) or NDJSON (one object per line). Rows arrive a batch at
 * a time and the writer waits when the disk falls behind, so memory holds about one batch
 * whatever the file's size.
 */
export class DataFileWriter {
  private rows = 0;

  private constructor(
    readonly name: string,
    private readonly path: string,
    private readonly format: ExportFormat,
    private readonly columns: readonly string[],
    private readonly plain: boolean,
    private readonly out: WriteStream,
  ) {}

  static open(
    dir: string,
    base: string,
    format: ExportFormat,
    columns: readonly string[],
    options: DataFileOptions = {},
  ): DataFileWriter {
    const name = `${base}.${format}`;
    const path = join(dir, name);
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: 1 << 20 });
    if (format === 'csv') out.write(`${columns.join(',')}\n`);
    return new DataFileWriter(name, path, format, columns, options.plain ?? false, out);
  }

  /** Writes rows (cells in column order; null is an empty CSV cell or a JSON null). */
  async write(rows: Cell[][]): Promise<void> {
    if (!rows.length) return;
    this.rows += rows.length;
    if (!this.out.write(this.text(rows))) await once(this.out, 'drain');
  }

  private text(rows: Cell[][]): string {
    if (this.format === 'csv') {
      if (!this.plain) return stringify(rows);
      let text = '';
      for (const row of rows) text += `${row.join(',')}\n`;
      return text;
    }
    let text = '';
    for (const row of rows) {
      let line = '{';
      this.columns.forEach((c, i) => {
        const v = row[i];
        let json: string;
        if (v === null || v === '') json = 'null';
        else if (typeof v === 'number') json = String(v);
        else json = this.plain ? `"${v}"` : JSON.stringify(v);
        line += `${i ? ',' : ''}"${c}":${json}`;
      });
      text += `${line}}\n`;
    }
    return text;
  }

  async close(): Promise<ExportFile> {
    this.out.end();
    await finished(this.out);
    return { name: this.name, rows: this.rows, bytes: (await stat(this.path)).size };
  }

  destroy(): void {
    this.out.destroy();
  }
}
