import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { pendingSchemaChanges } from '@kinship/database';

const MIGRATIONS_DIR = join(process.cwd(), 'libs/database/src/migrations');

/** Fails (exit 1) when the entities need SQL that no migration contains. */
export async function checkMigrations(dataSource: DataSource): Promise<number> {
  const { up } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) {
    console.log('migrations and entities agree');
    return 0;
  }
  console.error(
    'The entities differ from the migrations. Missing SQL:\n' + up.map((q) => `  ${q};`).join('\n'),
  );
  console.error('Run: npm run migration:generate -- <Name>');
  return 1;
}

/** Writes the next migration from the difference between the entities and the migrated schema. */
export async function generateMigration(dataSource: DataSource, name: string): Promise<number> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('The migration name must be PascalCase letters and digits, e.g. AddGroups');
    return 2;
  }
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) {
    console.log('nothing to generate: migrations and entities agree');
    return 0;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const lines = (qs: string[]) =>
    qs.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  const file = join(MIGRATIONS_DIR, `${timestamp}-${kebab(name)}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down.reverse())}
  }
}
`,
  );
  console.log(`wrote ${file}\nadd ${className} to libs/database/src/migrations/index.ts`);
  return 0;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
