import { readFileSync, writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { type Command, InvalidArgumentError } from 'commander';
import {
  EngagementMetrics,
  EngagementRollup,
  type MetricsQuery,
  type RollupPass,
} from '@kinship/engagement';
import { seedSynthetic } from './synthetic/seed-synthetic';

const LOCK_RETRIES = 120;

type WithApp = (work: (app: INestApplicationContext) => Promise<number | void>) => Promise<void>;

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
  }
  return n;
};

const instant = (value: string) => {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError('must be an ISO-8601 time, e.g. 2026-03-01T00:00:00Z');
  }
  return d;
};

/** Engagement commands: the synthetic community, the roll-up, and the metrics. */
export function registerEngagementCommands(program: Command, withApp: WithApp): void {
  program
    .command('seed:synthetic')
    .description(
      'generate a synthetic community (deterministic by seed) into the database, with the ground truth of its metrics',
    )
    .requiredOption('--members <n>', 'users', integer(1, 2_000_000))
    .requiredOption('--days <n>', 'days of history', integer(1, 730))
    .option('--groups <n>', 'groups', integer(1, 1_000), 4)
    .option('--seed <n>', 'seed', integer(0, 2 ** 31 - 1), 1)
    .option('--start <time>', 'first day (UTC midnight)', instant, new Date('2026-01-05T00:00:00Z'))
    .option(
      '--from <time>',
      'ground-truth window start (default: about 30% into the history)',
      instant,
    )
    .option('--to <time>', 'ground-truth window end (default: about a day before its end)', instant)
    .option('--out <file>', 'write the ground truth (JSON) here')
    .action(
      (o: {
        members: number;
        days: number;
        groups: number;
        seed: number;
        start: Date;
        from?: Date;
        to?: Date;
        out?: string;
      }) => {
        if (o.start.getTime() % 86_400_000 !== 0) {
          throw new InvalidArgumentError('--start must be a UTC midnight');
        }
        return withApp((app) => seedSynthetic(app, o));
      },
    );
}

interface MetricsOptions {
  groups: string;
  from: Date;
  to: Date;
  posterMin: number;
  participants?: string;
  members?: boolean;
  fromLog?: boolean;
  json?: boolean;
  out?: string;
}

export function registerMetricsCommands(program: Command, withApp: WithApp): void {
  program
    .command('engagement:rollup')
    .description("fold every finished transaction's engagement events into the roll-ups now")
    .option(
      '--batch <n>',
      'events per transaction (default: ENGAGEMENT_ROLLUP_BATCH)',
      integer(100, 100_000_000),
    )
    .option(
      '--rebuild',
      'empty the roll-ups first, rebuild them from the whole log, then compact them (VACUUM FULL)',
    )
    .action((o: { batch?: number; rebuild?: boolean }) =>
      withApp(async (app) => {
        const rollup = app.get(EngagementRollup);
        if (o.rebuild && !(await rollup.reset())) {
          console.error('another process is rolling up right now; try again');
          return 3;
        }
        const started = Date.now();
        let total = 0;
        const onPass = (p: RollupPass) => {
          total += p.events;
          if (p.events) console.log(`  ${total} events rolled up`);
        };
        // An api or worker process may hold the roll-up lock for a moment: wait for our turn.
        // An operator's command: no statement timeout, so a large batch can finish.
        const options = { batch: o.batch, statementTimeoutMs: 0, onPass };
        let done = await rollup.catchUp(options);
        for (let tries = 0; done === null && tries < LOCK_RETRIES; tries++) {
          await new Promise((r) => setTimeout(r, 250));
          done = await rollup.catchUp(options);
        }
        if (done === null) {
          console.error('another process kept the roll-up lock for 30 s; try again');
          return 3;
        }
        done = total;
        if (o.rebuild) await rollup.compact();
        const wm = await rollup.watermark();
        console.log(
          `rolled up ${done} events in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
            `watermark (tx ${wm.txId}, event ${wm.eventId})`,
        );
      }),
    );

  program
    .command('metrics')
    .description('engagement metrics of groups over a window (exact, unsuppressed: for operators)')
    .requiredOption('--groups <ids>', 'comma-separated group ids')
    .requiredOption('--from <time>', 'window start, inclusive', instant)
    .requiredOption('--to <time>', 'window end, exclusive', instant)
    .option('--poster-min <n>', 'contributions that make a poster', integer(1, 1_000_000), 1)
    .option(
      '--participants <file>',
      'JSON array of the user ids to classify (default: every member)',
    )
    .option('--members', 'also list every classified member')
    .option('--from-log', 'ignore the roll-ups and compute from the event log alone (slower)')
    .option('--json', 'one line of JSON instead of indented JSON')
    .option('--out <file>', 'write the JSON to this file instead of the standard output')
    .action((o: MetricsOptions) =>
      withApp(async (app) => {
        const query: MetricsQuery = {
          groupIds: o.groups
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
          from: o.from,
          to: o.to,
          posterMinContributions: o.posterMin,
          participants: o.participants ? readParticipants(o.participants) : null,
        };
        const metrics = app.get(EngagementMetrics);
        const started = performance.now();
        const groups = await metrics.groupMetrics(query, { fromLog: o.fromLog });
        const groupsMs = performance.now() - started;
        const members = o.members
          ? await metrics.memberSummaries(query, { fromLog: o.fromLog })
          : undefined;
        const result = {
          query: { ...query, participants: query.participants?.length ?? null },
          groupMetricsMs: Math.round(groupsMs * 10) / 10,
          groups,
          members,
        };
        const text = JSON.stringify(result, null, o.json ? undefined : 2);
        if (o.out) writeFileSync(o.out, text);
        else console.log(text);
      }),
    );
}

function readParticipants(file: string): string[] {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new InvalidArgumentError('--participants must name a JSON array of user ids');
  }
  return value;
}
