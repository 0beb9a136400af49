import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommonException } from '../errors/app.exception';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` of every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`." })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorValue = string | number;

/** Cursors are opaque to clients: base64url of the sort key of the last item served. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the problem below
  }
  throw malformedCursor();
}

function malformedCursor(): CommonException {
  return CommonException.validation([
    { field: 'cursor', message: 'is not a cursor this list issued' },
  ]);
}

export interface KeysetOrder {
  /** SQL expression of the sort key, e.g. `t.last_activity_at`. */
  expression: string;
  /** Key of the row property holding the value (read from the entity to build the next cursor). */
  toCursor: (row: never) => CursorValue;
  /** SQL type of the key: the cursor's value is checked against it, then cast to it. */
  cast: KeyType;
}

export type KeyType = 'timestamptz' | 'uuid' | 'varchar' | 'bigint';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A cursor value the database can take as that type; anything else is the client's mistake. */
function fitsKeyType(value: CursorValue, type: KeyType): boolean {
  switch (type) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'timestamptz':
      return typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'bigint':
      return (typeof value === 'string' && /^\d{1,19}$/.test(value)) || Number.isSafeInteger(value);
    case 'varchar':
      return typeof value === 'string' && value.length <= 1000 && !value.includes('\0');
  }
}

/**
 * Keyset pagination over a query builder: exact while rows are added, because the next page
 * starts strictly after the last key served (never an OFFSET). All keys share one direction, and
 * the last key must be unique (an id), so ties never skip or repeat a row. Timestamp keys must be
 * `timestamptz(3)` columns, so the value round-trips through a JS Date exactly.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQueryDto,
  order: KeysetOrder[],
  direction: 'ASC' | 'DESC',
): Promise<Page<T>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (query.cursor) {
    const values = decodeCursor(query.cursor, order.length);
    if (!order.every((o, i) => fitsKeyType(values[i], o.cast))) throw malformedCursor();
    const params: Record<string, CursorValue> = {};
    const placeholders = order.map((o, i) => {
      params[`cursor${i}`] = values[i];
      return `CAST(:cursor${i} AS ${o.cast})`;
    });
    const lhs = order.map((o) => o.expression).join(', ');
    const op = direction === 'ASC' ? '>' : '<';
    qb.andWhere(`(${lhs}) ${op} (${placeholders.join(', ')})`, params);
  }
  order.forEach((o, i) =>
    i === 0 ? qb.orderBy(o.expression, direction) : qb.addOrderBy(o.expression, direction),
  );
  const rows = await qb
    .take(undefined)
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor(order.map((o) => o.toCursor(last as never))) : null;
  return { items, nextCursor };
}
