import { MigrationInterface, QueryRunner } from 'typeorm';

export class Privacy1795248186396 implements MigrationInterface {
  name = 'Privacy1795248186396';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "user_two_factor" ("user_id" uuid NOT NULL, "secret" character varying(200), "pending_secret" character varying(200), "enabled_at" TIMESTAMP WITH TIME ZONE, "used_steps" bigint array NOT NULL DEFAULT \'{}\', CONSTRAINT "user_two_factor_pkey" PRIMARY KEY ("user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "two_factor_recovery_codes" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "user_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6f535a18c9fb9da8cc9b7ea70dc" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "two_factor_recovery_codes_user_code_key" ON "two_factor_recovery_codes"  ("user_id", "code_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "two_factor_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_53589ae9a471fd0b5e8a0d18a74" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "two_factor_challenges_user_id_idx" ON "two_factor_challenges"  ("user_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "two_factor_challenges_token_hash_key" ON "two_factor_challenges"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "account_erasures" ("user_id" uuid NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL, "summary" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "account_erasures_pkey" PRIMARY KEY ("user_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "auth_sessions" ADD "two_factor" boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query(
      'ALTER TABLE "user_two_factor" ADD CONSTRAINT "user_two_factor_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "two_factor_recovery_codes" ADD CONSTRAINT "two_factor_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "two_factor_challenges" ADD CONSTRAINT "two_factor_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "account_erasures" ADD CONSTRAINT "account_erasures_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "account_erasures" DROP CONSTRAINT "account_erasures_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "two_factor_challenges" DROP CONSTRAINT "two_factor_challenges_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "two_factor_recovery_codes" DROP CONSTRAINT "two_factor_recovery_codes_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "user_two_factor" DROP CONSTRAINT "user_two_factor_user_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "auth_sessions" DROP COLUMN "two_factor"');
    await queryRunner.query('DROP TABLE "account_erasures"');
    await queryRunner.query('DROP INDEX "public"."two_factor_challenges_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."two_factor_challenges_user_id_idx"');
    await queryRunner.query('DROP TABLE "two_factor_challenges"');
    await queryRunner.query('DROP INDEX "public"."two_factor_recovery_codes_user_code_key"');
    await queryRunner.query('DROP TABLE "two_factor_recovery_codes"');
    await queryRunner.query('DROP TABLE "user_two_factor"');
  }
}
