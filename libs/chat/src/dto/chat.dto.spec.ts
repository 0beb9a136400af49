import fc from 'fast-check';
import { CHAT_BODY_MAX, acceptedSend, SocketSendDto } from './chat.dto';
import { validatePayload } from '../realtime/socket-guards';

/** The full validation's answer: the accepted fields, or the errors it throws. */
function full(payload: object): { value?: object; error?: unknown } {
  try {
    return { value: { ...validatePayload(SocketSendDto, payload) } };
  } catch (error) {
    return { error };
  }
}

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => ` ${u}`),
  fc.uuid().map((u) => u.slice(1)),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.string(),
  fc.constantFrom(null, 7, true, [], {}),
);
const bodyLike = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', '\n\t ', '\uFE0F', ' \uFE0E ', 'a\uFE0F', '😀', ' hi '),
  fc
    .integer({ min: CHAT_BODY_MAX - 3, max: CHAT_BODY_MAX + 3 })
    .chain((n) =>
      fc.constantFrom('x'.repeat(n), ` ${'y'.repeat(n)} `, '😀'.repeat(Math.ceil(n / 2))),
    ),
  fc.constantFrom(null, 42, ['a'], { text: 'a' }),
);
const payload = fc
  .record(
    { groupId: uuidLike, clientMsgId: uuidLike, body: bodyLike, extra: fc.string() },
    { requiredKeys: [] },
  )
  .chain((p) =>
    // Mostly the exact three keys, sometimes one missing or one more.
    fc.constantFrom(0, 0, 0, 1).map((variant) => {
      const { extra, ...rest } = p;
      return variant ? { ...rest, ...(extra !== undefined ? { extra } : {}) } : rest;
    }),
  );

describe('acceptedSend (the quick check of chat:send payloads)', () => {
  it('accepts only what the full validation accepts, with the same fields', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const quick = acceptedSend(p);
        if (quick) expect(full(p)).toEqual({ value: quick });
      }),
      { numRuns: 3_000 },
    );
  });

  it('accepts every well-formed send, trimming the body as the full validation does', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc
          .string({ minLength: 1, maxLength: 200 })
          .filter((b) => /\S/.test(b) && !/\uFE0E|\uFE0F/.test(b)),
        (groupId, clientMsgId, body) => {
          const p = { clientMsgId, body, groupId };
          expect(acceptedSend(p)).toEqual(full(p).value);
          expect(acceptedSend(p)?.body).toBe(body.trim());
        },
      ),
    );
  });

  it('leaves the refusals to the full validation', () => {
    const groupId = '3f1c2a9e-5b7d-4e1f-9a2b-6c8d0e4f1a3b';
    const clientMsgId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    for (const p of [
      { groupId, clientMsgId, body: '   ' },
      { groupId, clientMsgId, body: 'x'.repeat(CHAT_BODY_MAX + 1) },
      { groupId, clientMsgId: 'not-a-uuid', body: 'hi' },
      { groupId, clientMsgId, body: 'hi', role: 'admin' },
      { groupId, body: 'hi' },
      JSON.parse(`{"groupId":"${groupId}","clientMsgId":"${clientMsgId}","__proto__":{"x":1}}`),
    ]) {
      expect(acceptedSend(p)).toBeUndefined();
      expect(full(p).error).toBeDefined();
    }
  });
});
