import { MigrationInterface, QueryRunner } from 'typeorm';

export class ModerationActionsAudit1795248278638 implements MigrationInterface {
  name = 'ModerationActionsAudit1795248278638';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "moderation_notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "group_id" uuid, "target_type" character varying(10), "target_id" uuid, "reason" character varying(2000) NOT NULL, "until" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "moderation_notices_kind_check" CHECK ("kind" IN (\'warning\', \'mute\', \'ban\', \'content_hidden\', \'content_removed\')), CONSTRAINT "PK_d63ce19a1e56d75d1b32021c19b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_notices_user_created_idx" ON "moderation_notices"  ("user_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "moderation_audit" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_id" uuid, "action" character varying(40) NOT NULL, "target_type" character varying(20), "target_id" character varying(64), "group_id" uuid, "reason" character varying(2000), "details" jsonb NOT NULL DEFAULT \'{}\', "prev_hash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "PK_4a0db45c1214c12aac8e3decc30" PRIMARY KEY ("seq"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "moderation_audit_hash_key" ON "moderation_audit"  ("hash") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_audit_occurred_at_idx" ON "moderation_audit"  ("occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_audit_action_seq_idx" ON "moderation_audit"  ("action", "seq") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_audit_target_seq_idx" ON "moderation_audit"  ("target_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_audit_actor_seq_idx" ON "moderation_audit"  ("actor_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_audit_group_seq_idx" ON "moderation_audit"  ("group_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE TABLE "moderation_group_settings" ("group_id" uuid NOT NULL, "slow_mode_seconds" integer NOT NULL DEFAULT \'0\', "first_post_approval" boolean NOT NULL DEFAULT false, "report_hide_threshold" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" uuid, CONSTRAINT "moderation_group_settings_threshold_check" CHECK ("report_hide_threshold" >= 0), CONSTRAINT "moderation_group_settings_slow_mode_check" CHECK ("slow_mode_seconds" >= 0 AND "slow_mode_seconds" <= 86400), CONSTRAINT "PK_03f62e13d63b671b571ffbd0eac" PRIMARY KEY ("group_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "moderation_slow_mode" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "channel" character varying(10) NOT NULL, "last_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ce5bb74cc03260f36b096a5f703" PRIMARY KEY ("group_id", "user_id", "channel"))',
    );
    await queryRunner.query(
      'ALTER TABLE "memberships" ADD "muted_until" TIMESTAMP(3) WITH TIME ZONE',
    );
    // The audit log is append-only in the database itself: any UPDATE, DELETE or TRUNCATE
    // statement is refused, whoever sends it (the hash chain shows what bypasses this).
    await queryRunner.query(
      `CREATE FUNCTION moderation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'moderation_audit is append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$`,
    );
    await queryRunner.query(
      'CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "moderation_audit" FOR EACH STATEMENT EXECUTE FUNCTION moderation_audit_append_only()',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_notices" ADD CONSTRAINT "moderation_notices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_group_settings" ADD CONSTRAINT "moderation_group_settings_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_slow_mode" ADD CONSTRAINT "moderation_slow_mode_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "moderation_slow_mode" DROP CONSTRAINT "moderation_slow_mode_group_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_group_settings" DROP CONSTRAINT "moderation_group_settings_group_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_notices" DROP CONSTRAINT "moderation_notices_user_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "memberships" DROP COLUMN "muted_until"');
    await queryRunner.query('DROP TABLE "moderation_slow_mode"');
    await queryRunner.query('DROP TABLE "moderation_group_settings"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_group_seq_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_actor_seq_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_target_seq_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_action_seq_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_occurred_at_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_audit_hash_key"');
    await queryRunner.query('DROP TABLE "moderation_audit"');
    await queryRunner.query('DROP FUNCTION moderation_audit_append_only()');
    await queryRunner.query('DROP INDEX "public"."moderation_notices_user_created_idx"');
    await queryRunner.query('DROP TABLE "moderation_notices"');
  }
}
