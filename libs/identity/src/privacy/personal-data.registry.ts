import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What an erasure step reports: counts for the erasure record, and work for after the commit. */
export interface ErasureOutcome {
  /** How much was removed or kept de-identified, e.g. `{removed: 12, kept: 2}`: counts only. */
  counts?: Record<string, number>;
  /** Runs once the erasure committed (e.g. tell live sockets); failures are logged, not thrown. */
  afterCommit?: () => void | Promise<void>;
}

/**
 * Personal data one library holds, for GET /me/data (portability) and DELETE /me (erasure).
 * Each feature library owns its tables, so each registers its own sources at start:
 *
 * ```ts
 * @Injectable()
 * export class ConsentPersonalData implements PersonalDataSource, OnModuleInit {
 *   readonly section = 'consents';
 *   constructor(private readonly registry: PersonalDataRegistry, private readonly repo: ConsentRepository) {}
 *   onModuleInit() { this.registry.register(this); }
 *   export(userId: string) { return streamPages((after) => this.repo.pageOf(userId, after)); }
 *   async erase(manager: EntityManager, userId: string) { return { counts: { withdrawn: await this.repo.withdrawAll(userId, manager) } }; }
 * }
 * ```
 * and list the class among the library module's providers (the module imports IdentityModule).
 */
export interface PersonalDataSource {
  /** Top-level key of the section in the export, e.g. `posts`; unique. */
  readonly section: string;
  /**
   * Where the section comes in the export (lower first; default 100). Erasure runs the other
   * way round, so identity (rank 0) closes the account last, after every feature's step.
   */
  readonly rank?: number;
  /**
   * Everything this library holds about the member: a list, read page by page and streamed item
   * by item (an AsyncIterable; see `streamPages`), or one object (a Promise). Other people appear
   * only as the product shows them to the member (id and handle), never with an email.
   */
  export(userId: string): AsyncIterable<object> | Promise<object | null>;
  /**
   * Removes or de-identifies the member's data, inside the erasure's transaction (use only
   * `manager`). Runs once per account; must not fail on data already erased.
   */
  erase(manager: EntityManager, userId: string): Promise<ErasureOutcome | void>;
}

const DEFAULT_RANK = 100;
const rankOf = (s: PersonalDataSource) => s.rank ?? DEFAULT_RANK;

@Injectable()
export class PersonalDataRegistry {
  private readonly sources = new Map<string, PersonalDataSource>();

  register(source: PersonalDataSource): void {
    if (this.sources.has(source.section)) {
      throw new Error(`personal data section "${source.section}" is registered twice`);
    }
    this.sources.set(source.section, source);
  }

  /** Sources in export order: by rank, then by section name (a stable document). */
  inExportOrder(): PersonalDataSource[] {
    return [...this.sources.values()].sort(
      (a, b) => rankOf(a) - rankOf(b) || a.section.localeCompare(b.section),
    );
  }

  /** Sources in erasure order: the export order reversed (the account itself goes last). */
  inErasureOrder(): PersonalDataSource[] {
    return this.inExportOrder().reverse();
  }
}

/** Rows of a personal-data section per page; the default page size of `streamPages`. */
export const PERSONAL_DATA_PAGE = 500;

/**
 * Streams a section read in keyset pages: `page(after)` answers the rows after the last row of
 * the previous page (undefined first), at most `size` of them. Memory holds one page at a time.
 */
export async function* streamPages<T extends object>(
  page: (after: T | undefined, size: number) => Promise<T[]>,
  size = PERSONAL_DATA_PAGE,
): AsyncIterable<T> {
  let after: T | undefined;
  for (;;) {
    const rows = await page(after, size);
    yield* rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1];
  }
}
