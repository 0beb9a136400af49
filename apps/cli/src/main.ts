import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { UserService } from '@kinship/identity';
import { AuditService } from '@kinship/moderation';
import { CliModule } from './cli.module';
import { registerEngagementCommands, registerMetricsCommands } from './engagement-commands';
import { checkMigrations, generateMigration } from './migration-commands';
import { seedDemo } from './seed-demo';

/** Boots the feature modules without HTTP (migrations are applied on the way), runs `work`. */
async function withApp(
  work: (
    app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>,
  ) => Promise<number | void>,
) {
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    process.exitCode = (await work(app)) ?? 0;
  } finally {
    await app.close();
  }
}

/** Schema commands run on a throw-away embedded database unless DATABASE_URL is set. */
async function withScratchDatabase(work: (dataSource: DataSource) => Promise<number>) {
  const scratch = process.env.DATABASE_URL
    ? undefined
    : mkdtempSync(join(tmpdir(), 'kinship-schema-'));
  if (scratch) process.env.DATA_DIR = scratch;
  try {
    await withApp((app) => work(app.get(DataSource)));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

const program = new Command('kinship').description('Kinship operator commands');

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() => {
    // Whatever DATABASE_MIGRATE_ON_START says for the api, this command is the migration.
    process.env.DATABASE_MIGRATE_ON_START = 'true';
    return withApp(async () => console.log('database is up to date'));
  });

program
  .command('migration:check')
  .description('exit 1 when the entities and the migrations disagree')
  .action(() => withScratchDatabase(checkMigrations));

program
  .command('migration:generate')
  .argument('<name>', 'PascalCase name, e.g. AddGroups')
  .description('write the migration that brings the schema in line with the entities')
  .action((name: string) => withScratchDatabase((ds) => generateMigration(ds, name)));

program
  .command('create-admin')
  .requiredOption('--email <email>')
  .option(
    '--password <password>',
    'better: set KINSHIP_ADMIN_PASSWORD, which no process list shows',
  )
  .option('--handle <handle>')
  .description('create a platform admin')
  .action((opts: { email: string; password?: string; handle?: string }) =>
    withApp(async (app) => {
      const password = opts.password ?? process.env.KINSHIP_ADMIN_PASSWORD;
      if (!password) {
        console.error('Give --password or set KINSHIP_ADMIN_PASSWORD');
        return 2;
      }
      const user = await app
        .get(UserService)
        .createAdmin(opts.email.toLowerCase(), password, opts.handle);
      console.log(`admin created: ${user.handle} (${user.id})`);
    }),
  );

program
  .command('audit:verify')
  .description('recompute the audit log hash chain; exit 1 when an entry was changed or removed')
  .action(() =>
    withApp(async (app) => {
      const check = await app.get(AuditService).verify();
      console.log(JSON.stringify(check));
      if (!check.ok) {
        console.error(`audit log broken at entry ${check.firstBrokenSeq} (${check.problem})`);
        return 1;
      }
      return 0;
    }),
  );

program
  .command('reset-two-factor')
  .requiredOption('--email <email>')
  .description(
    'turn two-factor sign-in off for an account whose owner lost the authenticator and the recovery codes (check who they are first); ends its sessions',
  )
  .action((opts: { email: string }) =>
    withApp(async (app) => {
      if (!(await app.get(UserService).resetTwoFactor(opts.email.toLowerCase()))) {
        console.error('no open account has this email');
        return 1;
      }
      console.log('two-factor sign-in is off and every session ended; sign in and enrol again');
    }),
  );

program
  .command('seed-demo')
  .description(
    'fill the database with a small demo community (idempotent: existing demo accounts are kept)',
  )
  .action(() => withApp((app) => seedDemo(app)));

registerEngagementCommands(program, withApp);
registerMetricsCommands(program, withApp);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
