import type { ArgumentMetadata } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { CommonException } from './app.exception';
import { createValidationPipe, inputHazards, MAX_INPUT_DEPTH } from './validation';

class NoteDto {
  @IsString()
  @MaxLength(20)
  text: string;
}

const body: ArgumentMetadata = { type: 'body', metatype: NoteDto };

/** The CommonException the pipe throws for `value`, or fails the test when it passes. */
async function refusal(value: unknown, metadata = body): Promise<CommonException> {
  try {
    await createValidationPipe().transform(value, metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(CommonException);
    return error as CommonException;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

/** `depth` arrays around 'x', built without recursion. */
function nest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('the global validation pipe', () => {
  it('passes a valid body through as the DTO class', async () => {
    const note = await createValidationPipe().transform({ text: 'hello' }, body);
    expect(note).toBeInstanceOf(NoteDto);
    expect(note).toEqual({ text: 'hello' });
  });

  it('refuses unknown fields (no mass assignment) and names each bad field', async () => {
    const error = await refusal({ text: 'x'.repeat(21), role: 'admin' });
    expect(error.status).toBe(400);
    expect(error.errors?.map((e) => e.field).sort()).toEqual(['role', 'text']);
  });

  it.each([[[]], [[{ text: 'a' }]], ['text'], [42], [true], [null]])(
    'refuses the body %j: it must be a JSON object',
    async (value) => {
      const error = await refusal(value);
      expect(error.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    },
  );

  it('refuses the NUL character, which PostgreSQL text cannot store', async () => {
    const error = await refusal({ text: 'a\u0000b' });
    expect(error.errors).toEqual([{ field: 'text', message: expect.stringContaining('NUL') }]);
    const query = await refusal({ q: 'a\u0000' }, { type: 'query', metatype: Object });
    expect(query.errors?.[0].field).toBe('q');
  });

  it('refuses nesting deep enough to overflow the transformer', async () => {
    const error = await refusal({ text: nest(100_000) });
    expect(error.errors).toEqual([{ field: 'text', message: expect.stringContaining('nest') }]);
  });
});

describe('inputHazards', () => {
  it('finds nothing in ordinary input', () => {
    expect(inputHazards({ a: ['x', { b: 1, c: null }], d: true })).toEqual([]);
  });

  it('gives dotted paths', () => {
    expect(inputHazards({ a: [{ b: 'ok' }, { b: '\u0000' }] })).toEqual([
      { field: 'a.1.b', message: expect.any(String) },
    ]);
  });

  it('refuses lone surrogates and keeps paired ones (emoji)', () => {
    expect(inputHazards({ a: 'rosa\ud800@example.org', b: 'x\udc00' })).toEqual([
      { field: 'a', message: 'must be valid Unicode text' },
      { field: 'b', message: 'must be valid Unicode text' },
    ]);
    expect(inputHazards({ a: 'feeling better \ud83d\ude42 today' })).toEqual([]);
  });

  it(`allows ${MAX_INPUT_DEPTH} levels and no more`, () => {
    expect(inputHazards({ a: nest(MAX_INPUT_DEPTH - 1) })).toEqual([]);
    expect(inputHazards({ a: nest(MAX_INPUT_DEPTH) })).toHaveLength(1);
  });
});
