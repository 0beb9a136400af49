import { MigrationInterface, QueryRunner } from 'typeorm';

export class Research1795248268743 implements MigrationInterface {
  name = 'Research1795248268743';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "research_studies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "description" character varying(5000) NOT NULL DEFAULT \'\', "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "window_kind" character varying(20) NOT NULL DEFAULT \'fixed\', "k_anonymity" integer NOT NULL DEFAULT \'5\', "poster_min_contributions" integer NOT NULL DEFAULT \'1\', "consent_text" text NOT NULL, "consent_version" character varying(40) NOT NULL, "status" character varying(10) NOT NULL DEFAULT \'draft\', "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "pseudonym_secret" bytea NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "research_studies_period_check" CHECK ("ends_at" > "starts_at"), CONSTRAINT "research_studies_poster_min_check" CHECK ("poster_min_contributions" >= 1), CONSTRAINT "research_studies_k_check" CHECK ("k_anonymity" >= 2), CONSTRAINT "research_studies_window_kind_check" CHECK ("window_kind" IN (\'fixed\', \'rolling_12_weeks\')), CONSTRAINT "research_studies_status_check" CHECK ("status" IN (\'draft\', \'open\', \'closed\')), CONSTRAINT "PK_ea70b569a5793131d8ea22cfa39" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_studies_status_created_idx" ON "research_studies"  ("status", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "research_studies_owner_created_idx" ON "research_studies"  ("owner_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_study_groups" ("study_id" uuid NOT NULL, "group_id" uuid NOT NULL, "code" character varying(8) NOT NULL, "condition" character varying(120) NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_c8269cd01fa9b34e6238ee712ff" PRIMARY KEY ("study_id", "group_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_study_groups_group_idx" ON "research_study_groups"  ("group_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "research_study_groups_code_key" ON "research_study_groups"  ("study_id", "code") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "study_id" uuid NOT NULL, "requested_by" uuid NOT NULL, "format" character varying(10) NOT NULL, "status" character varying(10) NOT NULL DEFAULT \'queued\', "files" jsonb NOT NULL DEFAULT \'[]\', "error" character varying(500), "attempts" smallint NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "heartbeat_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "files_deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "research_exports_status_check" CHECK ("status" IN (\'queued\', \'running\', \'ready\', \'failed\')), CONSTRAINT "research_exports_format_check" CHECK ("format" IN (\'csv\', \'ndjson\')), CONSTRAINT "PK_fe8a91f0c37e20e742e10b3b311" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_exports_expires_idx" ON "research_exports"  ("expires_at") WHERE "files_deleted_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "research_exports_status_idx" ON "research_exports"  ("status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "research_exports_study_created_idx" ON "research_exports"  ("study_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_surveys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "study_id" uuid NOT NULL, "code" character varying(8) NOT NULL, "title" character varying(200) NOT NULL, "wave" character varying(20) NOT NULL, "items" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "research_surveys_wave_check" CHECK ("wave" IN (\'baseline\', \'follow_up\', \'other\')), CONSTRAINT "PK_fab407fa98549adaca6067a1770" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_surveys_study_created_idx" ON "research_surveys"  ("study_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "research_surveys_code_key" ON "research_surveys"  ("study_id", "code") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_survey_responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "survey_id" uuid NOT NULL, "study_id" uuid NOT NULL, "user_id" uuid NOT NULL, "answers" jsonb NOT NULL, "submitted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d75e3c8a7b20f9d54e96b503b23" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_survey_responses_study_submitted_idx" ON "research_survey_responses"  ("study_id", "submitted_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "research_survey_responses_once_key" ON "research_survey_responses"  ("survey_id", "user_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_consent_records" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "study_id" uuid NOT NULL, "user_id" uuid NOT NULL, "granted" boolean NOT NULL, "consent_version" character varying(40) NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ba0bf9dbe380b1ee54bca6fa641" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_consent_records_study_user_idx" ON "research_consent_records"  ("study_id", "user_id", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "research_participants" ("study_id" uuid NOT NULL, "user_id" uuid NOT NULL, "granted" boolean NOT NULL, "consent_version" character varying(40) NOT NULL, "granted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "research_participants_state_check" CHECK ("granted" OR "withdrawn_at" IS NOT NULL), CONSTRAINT "PK_6ea867a7843b7be258e968ce939" PRIMARY KEY ("study_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "research_participants_study_granted_idx" ON "research_participants"  ("study_id", "granted") ',
    );
    await queryRunner.query(
      'CREATE INDEX "research_participants_user_idx" ON "research_participants"  ("user_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "research_study_groups" ADD CONSTRAINT "research_study_groups_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "research_studies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_study_groups" ADD CONSTRAINT "research_study_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_exports" ADD CONSTRAINT "research_exports_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "research_studies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_surveys" ADD CONSTRAINT "research_surveys_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "research_studies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_survey_responses" ADD CONSTRAINT "research_survey_responses_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "research_surveys"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_consent_records" ADD CONSTRAINT "research_consent_records_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "research_studies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "research_participants" ADD CONSTRAINT "research_participants_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "research_studies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "research_participants" DROP CONSTRAINT "research_participants_study_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_consent_records" DROP CONSTRAINT "research_consent_records_study_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_survey_responses" DROP CONSTRAINT "research_survey_responses_survey_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_surveys" DROP CONSTRAINT "research_surveys_study_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_exports" DROP CONSTRAINT "research_exports_study_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_study_groups" DROP CONSTRAINT "research_study_groups_group_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "research_study_groups" DROP CONSTRAINT "research_study_groups_study_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."research_participants_user_idx"');
    await queryRunner.query('DROP INDEX "public"."research_participants_study_granted_idx"');
    await queryRunner.query('DROP TABLE "research_participants"');
    await queryRunner.query('DROP INDEX "public"."research_consent_records_study_user_idx"');
    await queryRunner.query('DROP TABLE "research_consent_records"');
    await queryRunner.query('DROP INDEX "public"."research_survey_responses_once_key"');
    await queryRunner.query('DROP INDEX "public"."research_survey_responses_study_submitted_idx"');
    await queryRunner.query('DROP TABLE "research_survey_responses"');
    await queryRunner.query('DROP INDEX "public"."research_surveys_code_key"');
    await queryRunner.query('DROP INDEX "public"."research_surveys_study_created_idx"');
    await queryRunner.query('DROP TABLE "research_surveys"');
    await queryRunner.query('DROP INDEX "public"."research_exports_study_created_idx"');
    await queryRunner.query('DROP INDEX "public"."research_exports_status_idx"');
    await queryRunner.query('DROP INDEX "public"."research_exports_expires_idx"');
    await queryRunner.query('DROP TABLE "research_exports"');
    await queryRunner.query('DROP INDEX "public"."research_study_groups_code_key"');
    await queryRunner.query('DROP INDEX "public"."research_study_groups_group_idx"');
    await queryRunner.query('DROP TABLE "research_study_groups"');
    await queryRunner.query('DROP INDEX "public"."research_studies_owner_created_idx"');
    await queryRunner.query('DROP INDEX "public"."research_studies_status_created_idx"');
    await queryRunner.query('DROP TABLE "research_studies"');
  }
}
