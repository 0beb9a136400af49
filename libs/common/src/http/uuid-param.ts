import { Param, type PipeTransform } from '@nestjs/common';
import { CommonException } from '../errors/app.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A malformed id is a 400 naming the parameter, never a database error. */
export class ParseUuidPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!isUuid(value)) {
      throw CommonException.validation([{ field: this.field, message: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}

/** `@UuidParam('groupId') groupId: string` */
export const UuidParam = (name: string): ParameterDecorator => Param(name, new ParseUuidPipe(name));
