import { randomUUID } from 'node:crypto';
import type { HttpAnswer, TestApp } from '@kinship/testing';

/**
 * The API surface as the running server publishes it (its OpenAPI document), so that every route,
 * including ones added after these suites were written, is walked by the security suites.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Full path template, e.g. `/api/v1/threads/{threadId}/posts`. */
  path: string;
  /** `GET /threads/{threadId}/posts`, for messages. */
  name: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body: Schema | null;
  /** The route declares bearer authentication (it may still serve anonymous callers). */
  bearer: boolean;
}

export type Schema = Record<string, any>;
export type Ids = Record<string, string>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export async function loadOperations(t: TestApp): Promise<Operation[]> {
  const res = await t.get('/api/docs-json');
  if (res.status !== 200) throw new Error(`no OpenAPI document: ${res.status}`);
  const doc = res.body;
  const resolve = (schema: Schema | undefined): Schema | null => {
    if (!schema) return null;
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const verb of METHODS) {
      const op = item[verb];
      if (!op) continue;
      const parameters: any[] = op.parameters ?? [];
      const name = `${verb.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`;
      operations.push({
        method: verb.toUpperCase() as Operation['method'],
        path,
        name,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) ?? {} })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
        bearer: (op.security ?? []).some((s: Record<string, unknown>) => 'bearer' in s),
      });
    }
  }
  return operations;
}

/** Nested schemas resolved, for building bodies. */
export async function loadSchemas(t: TestApp): Promise<Record<string, Schema>> {
  return (await t.get('/api/docs-json')).body.components.schemas;
}

export function fillPath(op: Operation, ids: Ids): string {
  return op.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    const id = ids[param];
    if (!id) throw new Error(`${op.name}: no id for {${param}}; add it to the world`);
    return id;
  });
}

/** The same ids, each replaced by an id nobody has: the "does it exist?" control. */
export function unknownIds(ids: Ids): Ids {
  return Object.fromEntries(Object.keys(ids).map((key) => [key, randomUUID()]));
}

/**
 * A small body that passes validation: required properties only, each the first allowed value,
 * ids taken from `ids` by property name (so the route reaches its access checks, not a 400).
 */
export function sampleBody(schema: Schema | null, ids: Ids, schemas: Record<string, Schema>) {
  if (!schema) return undefined;
  return sampleValue('', schema, ids, schemas);
}

function sampleValue(key: string, raw: Schema, ids: Ids, schemas: Record<string, Schema>): any {
  const schema = raw.$ref ? schemas[raw.$ref.split('/').pop()] : raw;
  if (schema.enum) return schema.enum[0];
  if (schema.example !== undefined) return schema.example;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        out[name] = sampleValue(name, schema.properties[name], ids, schemas);
      }
      return out;
    }
    case 'array':
      // `groupIds: [..]` holds what `groupId` names.
      return [sampleValue(key.replace(/s$/, ''), schema.items ?? { type: 'string' }, ids, schemas)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return sampleString(key, schema, ids);
  }
}

function sampleString(key: string, schema: Schema, ids: Ids): string {
  if (schema.format === 'uuid' || /Id$/.test(key)) return ids[key] ?? randomUUID();
  if (schema.format === 'date-time') {
    // Windows need an end after their start: ends a month after starts, both ahead.
    const days = /end|until|to$/i.test(key) ? 60 : 1;
    return new Date(Date.now() + days * 86_400_000).toISOString();
  }
  if (schema.format === 'email') return `someone-${randomUUID().slice(0, 8)}@example.org`;
  const text = `Sample ${key} ${randomUUID().slice(0, 8)}`;
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  return text.padEnd(min, 'x').slice(0, max);
}

export async function call(
  t: TestApp,
  op: Operation,
  ids: Ids,
  options: { token?: string; body?: unknown; query?: string } = {},
): Promise<HttpAnswer> {
  const path = fillPath(op, ids) + (options.query ? `?${options.query}` : '');
  return t.request(op.method, path, { token: options.token, body: options.body });
}

export const isProblem = (answer: HttpAnswer): boolean =>
  (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
  typeof answer.body?.type === 'string' &&
  answer.body?.status === answer.status;
