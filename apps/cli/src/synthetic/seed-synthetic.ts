import { writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DAY_MS, generateCommunity } from './community-model';
import { groundTruth, type TruthQuery } from './ground-truth';
import { SyntheticIds } from './synthetic-ids';
import { writeCommunity } from './synthetic-writer';

export interface SeedSyntheticOptions {
  members: number;
  days: number;
  groups: number;
  seed: number;
  /** First day (UTC midnight). */
  start: Date;
  /** Ground-truth window; defaults leave whole days of history before it and cut days in half. */
  from?: Date;
  to?: Date;
  out?: string;
}

/**
 * `seed:synthetic`: generates a community (deterministic by seed), writes it, and writes the
 * ground truth of its metrics for two queries: every member with the default poster threshold,
 * and a third of the users left out as non-participants with the threshold at 4.
 */
export async function seedSynthetic(
  app: INestApplicationContext,
  o: SeedSyntheticOptions,
): Promise<number> {
  const started = Date.now();
  const ids = new SyntheticIds(o.seed);
  const community = generateCommunity({
    members: o.members,
    days: o.days,
    groups: o.groups,
    seed: o.seed,
    start: o.start.getTime(),
  });
  const generatedMs = Date.now() - started;
  console.log(
    `generated ${community.events.n} events (${community.memberships.length} memberships, ` +
      `${community.threads} threads) in ${(generatedMs / 1000).toFixed(1)} s; writing…`,
  );
  let reported = 0;
  await writeCommunity(app.get(DataSource), community, ids, (written) => {
    if (written - reported >= 1_000_000) {
      reported = written;
      console.log(`  ${written} events written`);
    }
  });
  const writtenMs = Date.now() - started - generatedMs;
  console.log(`written in ${(writtenMs / 1000).toFixed(1)} s (seed ${o.seed}, tag ${ids.tag})`);
  if (!o.out) return 0;

  const from =
    o.from ?? new Date(o.start.getTime() + Math.floor(o.days * 0.3) * DAY_MS + 26_000_000);
  const to = o.to ?? new Date(o.start.getTime() + (o.days - 1) * DAY_MS - 12_500_000);
  const groups = Array.from({ length: o.groups }, (_, g) => g);
  const consented = new Set<number>();
  for (let u = 0; u < o.members; u++) if (u % 3 !== 0) consented.add(u);
  const variants = [
    { name: 'all', posterMinContributions: 1, participants: null },
    { name: 'consented', posterMinContributions: 4, participants: consented },
  ].map((v) => {
    const q: TruthQuery = { groups, from: from.getTime(), to: to.getTime(), ...v };
    const truth = groundTruth(community, q, {
      user: (u) => ids.user(u),
      group: (g) => ids.group(g),
    });
    return {
      name: v.name,
      query: {
        groupIds: groups.map((g) => ids.group(g)),
        from: from.toISOString(),
        to: to.toISOString(),
        posterMinContributions: v.posterMinContributions,
        participants: v.participants ? [...v.participants].map((u) => ids.user(u)) : null,
      },
      ...truth,
    };
  });
  writeFileSync(
    o.out,
    JSON.stringify({
      generator: { ...o, start: o.start.toISOString(), out: undefined, tag: ids.tag },
      community: {
        groups: groups.map((g) => ({ id: ids.group(g), slug: `synthetic-${ids.tag}-${g + 1}` })),
        users: o.members,
        memberships: community.memberships.length,
        events: community.events.n,
        threads: community.threads,
        posts: community.posts,
        messages: community.messages,
      },
      variants,
    }),
  );
  console.log(`ground truth written to ${o.out}`);
  return 0;
}
