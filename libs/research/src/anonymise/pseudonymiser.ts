import { createHmac } from 'node:crypto';

/** Distinct objects whose pseudonyms are remembered; past it the memory starts over (flat). */
const OBJECT_CACHE_LIMIT = 100_000;

/**
 * Study pseudonyms: HMAC-SHA-256 keyed with the study's secret, first 128 bits in hex. The same
 * member has the same pseudonym in every export of a study and a different one in every other
 * study; without the secret, which never leaves the server, it cannot be traced back.
 */
export class Pseudonymiser {
  private readonly participants = new Map<string, string>();
  private objects = new Map<string, string>();

  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('a study secret has 32 bytes');
  }

  /** HMAC-SHA-256(secret, user id). */
  participant(userId: string): string {
    let p = this.participants.get(userId);
    if (p === undefined) {
      p = this.hmac(userId.toLowerCase());
      this.participants.set(userId, p);
    }
    return p;
  }

  /** A study-local id of a thread, post, message or other object (domain-separated). */
  object(objectId: string): string {
    let p = this.objects.get(objectId);
    if (p === undefined) {
      if (this.objects.size >= OBJECT_CACHE_LIMIT) this.objects = new Map();
      p = this.hmac(`object:${objectId.toLowerCase()}`);
      // A copy as the key: ids cut out of a large text (a COPY chunk) would keep all of it alive.
      this.objects.set(Buffer.from(objectId, 'latin1').toString('latin1'), p);
    }
    return p;
  }

  private hmac(text: string): string {
    return createHmac('sha256', this.secret).update(text, 'utf8').digest('hex').slice(0, 32);
  }
}
