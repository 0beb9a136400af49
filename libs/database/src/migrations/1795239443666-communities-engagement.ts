import { MigrationInterface, QueryRunner } from 'typeorm';

export class CommunitiesEngagement1795239443666 implements MigrationInterface {
  name = 'CommunitiesEngagement1795239443666';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "engagement_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "group_id" uuid, "kind" character varying(30) NOT NULL, "object_id" uuid, CONSTRAINT "engagement_events_kind_check" CHECK ("kind" IN (\'thread_read\', \'chat_read\', \'thread_created\', \'post_created\', \'chat_message_sent\', \'reaction_given\', \'group_joined\', \'group_left\', \'visit\')), CONSTRAINT "PK_94b6116fa037a6976fabb815b39" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_events_user_time_idx" ON "engagement_events"  ("user_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_events_group_time_idx" ON "engagement_events"  ("group_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "engagement_read_marks" ("user_id" uuid NOT NULL, "object_key" character varying(80) NOT NULL, "counted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_7e9746029b0bf774cea9136b217" PRIMARY KEY ("user_id", "object_key"))',
    );
    await queryRunner.query(
      'CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "slug" character varying(60) NOT NULL, "condition_label" character varying(120) NOT NULL, "condition_code" character varying(8), "description" character varying(2000) NOT NULL DEFAULT \'\', "visibility" character varying(10) NOT NULL, "join_policy" character varying(10) NOT NULL, "created_by" uuid NOT NULL, "member_count" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "groups_join_policy_check" CHECK ("join_policy" IN (\'open\', \'approval\')), CONSTRAINT "groups_visibility_check" CHECK ("visibility" IN (\'public\', \'private\')), CONSTRAINT "PK_659d1483316afb28afd3a90646e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "groups_slug_key" ON "groups"  ("slug") ');
    await queryRunner.query(
      'CREATE TABLE "memberships" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" character varying(10) NOT NULL, "role" character varying(10) NOT NULL DEFAULT \'member\', "requested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "joined_at" TIMESTAMP WITH TIME ZONE, "left_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "memberships_role_check" CHECK ("role" IN (\'member\', \'moderator\')), CONSTRAINT "memberships_status_check" CHECK ("status" IN (\'pending\', \'active\', \'left\', \'banned\')), CONSTRAINT "PK_3923edf77fc86ff52c078826b25" PRIMARY KEY ("group_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "memberships_group_status_idx" ON "memberships"  ("group_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "memberships_user_id_idx" ON "memberships"  ("user_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "groups" ADD CONSTRAINT "groups_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "memberships" ADD CONSTRAINT "memberships_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "memberships" DROP CONSTRAINT "memberships_user_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "memberships" DROP CONSTRAINT "memberships_group_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "groups" DROP CONSTRAINT "groups_created_by_fkey"');
    await queryRunner.query('DROP INDEX "public"."memberships_user_id_idx"');
    await queryRunner.query('DROP INDEX "public"."memberships_group_status_idx"');
    await queryRunner.query('DROP TABLE "memberships"');
    await queryRunner.query('DROP INDEX "public"."groups_slug_key"');
    await queryRunner.query('DROP TABLE "groups"');
    await queryRunner.query('DROP TABLE "engagement_read_marks"');
    await queryRunner.query('DROP INDEX "public"."engagement_events_group_time_idx"');
    await queryRunner.query('DROP INDEX "public"."engagement_events_user_time_idx"');
    await queryRunner.query('DROP TABLE "engagement_events"');
  }
}
