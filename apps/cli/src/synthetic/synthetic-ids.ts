import { NS } from './event-columns';

/**
 * Deterministic UUID-shaped ids: 8 hex digits from the seed, 4 for the kind of object, then the
 * object's number. The same seed gives the same ids; different seeds do not collide.
 */
export class SyntheticIds {
  readonly tag: string;
  private readonly users: string[] = [];
  private readonly groups: string[] = [];

  constructor(seed: number) {
    let h = (seed ^ 0x5bd1e995) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    this.tag = ((h ^ (h >>> 15)) >>> 0).toString(16).padStart(8, '0');
  }

  of(ns: number, n: number): string {
    const hex = n.toString(16).padStart(18, '0');
    return `${this.tag}-${ns.toString(16).padStart(4, '0')}-4${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex.slice(6)}`;
  }

  user(u: number): string {
    return (this.users[u] ??= this.of(NS.user, u));
  }

  group(g: number): string {
    return (this.groups[g] ??= this.of(NS.group, g));
  }

  handle(u: number): string {
    return `syn${this.tag}_${u.toString(36)}`;
  }
}
