import { MigrationInterface, QueryRunner } from 'typeorm';

export class Discussions1795239898709 implements MigrationInterface {
  name = 'Discussions1795239898709';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "threads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "author_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "first_post_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_activity_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "reply_count" integer NOT NULL DEFAULT \'0\', "deleted_at" TIMESTAMP WITH TIME ZONE, "deleted_by" uuid, CONSTRAINT "PK_d8a74804c34fc3900502cd27275" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "threads_group_activity_idx" ON "threads"  ("group_id", "last_activity_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "thread_id" uuid NOT NULL, "group_id" uuid NOT NULL, "author_id" uuid NOT NULL, "reply_to_post_id" uuid, "body" text NOT NULL, "html" text NOT NULL, "status" character varying(20) NOT NULL DEFAULT \'published\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "edited_at" TIMESTAMP(3) WITH TIME ZONE, "support_count" integer NOT NULL DEFAULT \'0\', "helpful_count" integer NOT NULL DEFAULT \'0\', "hug_count" integer NOT NULL DEFAULT \'0\', "deleted_at" TIMESTAMP WITH TIME ZONE, "deleted_by" uuid, CONSTRAINT "posts_status_check" CHECK ("status" IN (\'published\', \'pending_review\', \'hidden\', \'removed\')), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "posts_author_id_idx" ON "posts"  ("author_id") ');
    await queryRunner.query(
      'CREATE INDEX "posts_thread_created_idx" ON "posts"  ("thread_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "post_reactions" ("post_id" uuid NOT NULL, "user_id" uuid NOT NULL, "kind" character varying(10) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "post_reactions_kind_check" CHECK ("kind" IN (\'support\', \'helpful\', \'hug\')), CONSTRAINT "post_reactions_pkey" PRIMARY KEY ("post_id", "user_id", "kind"))',
    );
    await queryRunner.query(
      'CREATE INDEX "post_reactions_user_id_idx" ON "post_reactions"  ("user_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "post_edits" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "post_id" uuid NOT NULL, "editor_id" uuid NOT NULL, "previous_body" text NOT NULL, "edited_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4f654a6f48ff1f94a68db3de55c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "post_edits_post_id_idx" ON "post_edits"  ("post_id", "edited_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "threads" ADD CONSTRAINT "threads_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "threads" ADD CONSTRAINT "threads_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "threads" ADD CONSTRAINT "threads_first_post_id_fkey" FOREIGN KEY ("first_post_id") REFERENCES "posts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_reply_to_post_id_fkey" FOREIGN KEY ("reply_to_post_id") REFERENCES "posts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_reactions" ADD CONSTRAINT "post_reactions_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_reactions" ADD CONSTRAINT "post_reactions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_edits" ADD CONSTRAINT "post_edits_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_edits" ADD CONSTRAINT "post_edits_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "post_edits" DROP CONSTRAINT "post_edits_editor_id_fkey"');
    await queryRunner.query('ALTER TABLE "post_edits" DROP CONSTRAINT "post_edits_post_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "post_reactions" DROP CONSTRAINT "post_reactions_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "post_reactions" DROP CONSTRAINT "post_reactions_post_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "posts" DROP CONSTRAINT "posts_reply_to_post_id_fkey"');
    await queryRunner.query('ALTER TABLE "posts" DROP CONSTRAINT "posts_author_id_fkey"');
    await queryRunner.query('ALTER TABLE "posts" DROP CONSTRAINT "posts_thread_id_fkey"');
    await queryRunner.query('ALTER TABLE "threads" DROP CONSTRAINT "threads_first_post_id_fkey"');
    await queryRunner.query('ALTER TABLE "threads" DROP CONSTRAINT "threads_author_id_fkey"');
    await queryRunner.query('ALTER TABLE "threads" DROP CONSTRAINT "threads_group_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."post_edits_post_id_idx"');
    await queryRunner.query('DROP TABLE "post_edits"');
    await queryRunner.query('DROP INDEX "public"."post_reactions_user_id_idx"');
    await queryRunner.query('DROP TABLE "post_reactions"');
    await queryRunner.query('DROP INDEX "public"."posts_thread_created_idx"');
    await queryRunner.query('DROP INDEX "public"."posts_author_id_idx"');
    await queryRunner.query('DROP TABLE "posts"');
    await queryRunner.query('DROP INDEX "public"."threads_group_activity_idx"');
    await queryRunner.query('DROP TABLE "threads"');
  }
}
