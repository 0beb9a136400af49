import { MigrationInterface, QueryRunner } from 'typeorm';

export class Moderation1795243220777 implements MigrationInterface {
  name = 'Moderation1795243220777';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "moderation_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(10) NOT NULL, "group_id" uuid, "target_type" character varying(10) NOT NULL, "target_id" uuid NOT NULL, "reason" character varying(20) NOT NULL, "details" character varying(2000), "reporter_id" uuid, "reasons" jsonb NOT NULL DEFAULT \'[]\', "urgency" smallint NOT NULL, "status" character varying(10) NOT NULL DEFAULT \'open\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "resolved_by" uuid, "resolution" character varying(20), "resolution_reason" character varying(2000), CONSTRAINT "moderation_reports_reason_check" CHECK ("reason" IN (\'spam\', \'harassment\', \'misinformation\', \'self_harm\', \'privacy\', \'other\')), CONSTRAINT "moderation_reports_target_type_check" CHECK ("target_type" IN (\'post\', \'thread\', \'message\', \'user\')), CONSTRAINT "moderation_reports_status_check" CHECK ("status" IN (\'open\', \'resolved\')), CONSTRAINT "moderation_reports_kind_check" CHECK ("kind" IN (\'report\', \'held\', \'flag\')), CONSTRAINT "PK_a40784ec3803830fe974b4b85fb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "moderation_reports_open_per_reporter_key" ON "moderation_reports"  ("reporter_id", "target_type", "target_id") WHERE "status" = \'open\' AND "reporter_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_reports_target_idx" ON "moderation_reports"  ("target_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_reports_queue_idx" ON "moderation_reports"  ("status", "urgency", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "moderation_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid, "pattern" character varying(200) NOT NULL, "match_type" character varying(10) NOT NULL, "action" character varying(10) NOT NULL, "category" character varying(20) NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "moderation_rules_category_check" CHECK ("category" IN (\'spam\', \'harassment\', \'misinformation\', \'self_harm\', \'privacy\', \'other\')), CONSTRAINT "moderation_rules_action_check" CHECK ("action" IN (\'block\', \'hold\', \'flag\')), CONSTRAINT "moderation_rules_match_type_check" CHECK ("match_type" IN (\'word\', \'phrase\', \'regex\')), CONSTRAINT "PK_92eac042752719d816ad5dd30d0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "moderation_rules_group_created_idx" ON "moderation_rules"  ("group_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_reports" ADD CONSTRAINT "moderation_reports_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_rules" ADD CONSTRAINT "moderation_rules_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "moderation_rules" DROP CONSTRAINT "moderation_rules_group_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "moderation_reports" DROP CONSTRAINT "moderation_reports_group_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."moderation_rules_group_created_idx"');
    await queryRunner.query('DROP TABLE "moderation_rules"');
    await queryRunner.query('DROP INDEX "public"."moderation_reports_queue_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_reports_target_idx"');
    await queryRunner.query('DROP INDEX "public"."moderation_reports_open_per_reporter_key"');
    await queryRunner.query('DROP TABLE "moderation_reports"');
  }
}
