import { CommonException } from '../errors/app.exception';
import { decodeCursor, encodeCursor } from './pagination';

/** The error a bad cursor must raise: a 400 naming the `cursor` field, never a 500. */
function cursorError(cursor: string, arity: number): CommonException {
  try {
    decodeCursor(cursor, arity);
  } catch (error) {
    expect(error).toBeInstanceOf(CommonException);
    return error as CommonException;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('cursors', () => {
  it.each([
    [['2026-11-21T05:00:00.000Z', '0b7e9d2c-4a51-4c1e-9a53-4d1f0e6f2a10']],
    [[42, 'abc']],
    [['ünïcödé ✓', -1.5]],
    [['']],
  ])('round-trips %j', (values) => {
    const cursor = encodeCursor(values);
    // Opaque and URL-safe: usable as ?cursor= without escaping.
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, values.length)).toEqual(values);
  });

  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it.each([
    ['not base64 at all', '%%%'],
    ['base64 of non-JSON', b64('hello')],
    ['a JSON object', b64('{"a":1}')],
    ['a JSON scalar', b64('"x"')],
    ['nested values', b64('[["x"],"y"]')],
    ['null inside', b64('[null,"y"]')],
    ['a boolean inside', b64('[true,"y"]')],
    ['the empty string', ''],
  ])('refuses %s', (_label, cursor) => {
    const error = cursorError(cursor, 2);
    expect(error.status).toBe(400);
    expect(error.errors?.[0].field).toBe('cursor');
  });

  it('refuses a cursor of another list (wrong number of keys)', () => {
    const error = cursorError(encodeCursor(['a', 'b', 'c']), 2);
    expect(error.errors?.[0]).toEqual({
      field: 'cursor',
      message: expect.stringContaining('cursor'),
    });
  });
});
