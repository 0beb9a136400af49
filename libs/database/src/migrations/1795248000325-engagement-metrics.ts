import { MigrationInterface, QueryRunner } from 'typeorm';

export class EngagementMetrics1795248000325 implements MigrationInterface {
  name = 'EngagementMetrics1795248000325';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "engagement_member_days" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "day" date NOT NULL, "threads" integer NOT NULL DEFAULT \'0\', "posts" integer NOT NULL DEFAULT \'0\', "chat_messages" integer NOT NULL DEFAULT \'0\', "thread_reads" integer NOT NULL DEFAULT \'0\', "chat_reads" integer NOT NULL DEFAULT \'0\', "reactions" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_8f24c80d86407e2ccb9ebd7cf8a" PRIMARY KEY ("group_id", "user_id", "day"))',
    );
    await queryRunner.query(
      'CREATE TABLE "engagement_members" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "memberships" tstzmultirange, "first_joined_at" TIMESTAMP WITH TIME ZONE, "first_read_at" TIMESTAMP WITH TIME ZONE, "first_contribution_at" TIMESTAMP WITH TIME ZONE, "first_contribution_event_id" bigint, "first_contribution_context_id" uuid, "first_reply_at" TIMESTAMP WITH TIME ZONE, "days" date array, "cum_a" bigint array, "cum_b" bigint array, "cum_c" bigint array, "active_weeks" smallint array, "active_week_bits" bigint, CONSTRAINT "PK_86f40bd4456e3690081e002f553" PRIMARY KEY ("group_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_members_first_context_idx" ON "engagement_members"  ("first_contribution_context_id", "first_reply_at") WHERE "first_contribution_context_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "engagement_threads" ("thread_id" uuid NOT NULL, "group_id" uuid NOT NULL, "author_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_event_id" bigint NOT NULL, "first_reply_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1b6b8b9b98597e4425f5dfc4167" PRIMARY KEY ("thread_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_threads_group_created_idx" ON "engagement_threads"  ("group_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "engagement_rollup_state" ("id" smallint NOT NULL, "tx_id" bigint NOT NULL, "event_id" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_aba2c2a1bcd05b6141cc9bed15c" PRIMARY KEY ("id"))',
    );
    // The writing transaction's 64-bit id (xid8 with its epoch), as the default of tx_id.
    await queryRunner.query(
      "CREATE FUNCTION engagement_tx_id() RETURNS bigint LANGUAGE sql VOLATILE AS 'SELECT pg_current_xact_id()::text::bigint'",
    );
    await queryRunner.query('ALTER TABLE "engagement_events" ADD "context_id" uuid');
    // Events written before this migration: their conversations, from the content they record.
    await queryRunner.query(
      'UPDATE "engagement_events" SET "context_id" = "object_id" WHERE "kind" = \'thread_created\'',
    );
    await queryRunner.query(
      'UPDATE "engagement_events" SET "context_id" = "group_id" WHERE "kind" = \'chat_message_sent\'',
    );
    await queryRunner.query(
      'UPDATE "engagement_events" e SET "context_id" = p."thread_id" FROM "posts" p WHERE e."kind" = \'post_created\' AND p."id" = e."object_id"',
    );
    await queryRunner.query(
      'ALTER TABLE "engagement_events" ADD "tx_id" bigint NOT NULL DEFAULT engagement_tx_id()',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_events_tx_idx" ON "engagement_events"  ("tx_id", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_events_membership_idx" ON "engagement_events"  ("group_id", "user_id", "occurred_at") WHERE "kind" IN (\'group_joined\', \'group_left\')',
    );
    await queryRunner.query(
      'CREATE INDEX "engagement_events_context_time_idx" ON "engagement_events"  ("context_id", "occurred_at", "id") WHERE "context_id" IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."engagement_events_context_time_idx"');
    await queryRunner.query('DROP INDEX "public"."engagement_events_membership_idx"');
    await queryRunner.query('DROP INDEX "public"."engagement_events_tx_idx"');
    await queryRunner.query('ALTER TABLE "engagement_events" DROP COLUMN "tx_id"');
    await queryRunner.query('ALTER TABLE "engagement_events" DROP COLUMN "context_id"');
    await queryRunner.query('DROP TABLE "engagement_rollup_state"');
    await queryRunner.query('DROP INDEX "public"."engagement_threads_group_created_idx"');
    await queryRunner.query('DROP TABLE "engagement_threads"');
    await queryRunner.query('DROP INDEX "public"."engagement_members_first_context_idx"');
    await queryRunner.query('DROP TABLE "engagement_members"');
    await queryRunner.query('DROP TABLE "engagement_member_days"');
    await queryRunner.query('DROP FUNCTION engagement_tx_id()');
  }
}
