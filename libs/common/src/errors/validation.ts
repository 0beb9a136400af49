import { type ArgumentMetadata, type ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonException, type FieldError } from './app.exception';
import { ValidateIf } from 'class-validator';

/** Flattens class-validator's tree into `errors[{field, message}]` with dotted field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: message.replace(/^property \S+ /, 'this field ') });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * A DTO body must be a JSON object. Without this check an array reaches class-validator as an
 * object with fields "0", "1"…, and a string or null as a bag of missing fields: still 400s, but
 * with errors that point nowhere.
 */
class KinshipValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const wholeBody = metadata.type === 'body' && !metadata.data;
    if (wholeBody && value !== undefined && !isObject && this.toValidate(metadata)) {
      throw CommonException.validation(
        [{ field: 'body', message: 'must be a JSON object' }],
        'The request body must be a JSON object.',
      );
    }
    if (metadata.type !== 'custom') {
      const errors = inputHazards(value, metadata.data);
      if (errors.length) throw CommonException.validation(errors);
    }
    return super.transform(value, metadata);
  }
}

/** No DTO nests anywhere near this deep; deeper input would overflow class-transformer's stack. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Input that would fail later as a 500 or be stored altered: strings holding U+0000, which no
 * PostgreSQL text column can store; strings with a lone UTF-16 surrogate (JSON allows "\ud800"),
 * which validators that call encodeURI throw on and which UTF-8 can only store as U+FFFD; and
 * nesting deep enough to overflow the transformer's recursion. Iterative, so the check itself
 * cannot overflow.
 */
// With the u flag a paired surrogate is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function inputHazards(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: [unknown, string, number][] = [[value, root, 0]];
  while (pending.length > 0 && errors.length < 10) {
    const [item, path, depth] = pending.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) {
        errors.push({ field: path || 'body', message: 'must not contain the NUL character' });
      } else if (LONE_SURROGATE.test(item)) {
        errors.push({ field: path || 'body', message: 'must be valid Unicode text' });
      }
    } else if (typeof item === 'object' && item !== null) {
      if (depth >= MAX_INPUT_DEPTH) {
        const field = path.split('.')[0] || 'body';
        return [{ field, message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` }];
      }
      for (const [key, child] of Object.entries(item)) {
        pending.push([child, path ? `${path}.${key}` : key, depth + 1]);
      }
    }
  }
  return errors.reverse();
}

/** The global pipe: unknown fields are refused (no mass assignment), types are converted. */
export function createValidationPipe(): ValidationPipe {
  return new KinshipValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => CommonException.validation(flattenValidationErrors(errors)),
  });
}

/**
 * A body field that may be left out, but not sent as null: class-validator's IsOptional skips
 * every check for null too, which let `{"role": null}` through to the database (a 500).
 */
export function OmittableField(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
