import { MigrationInterface, QueryRunner } from 'typeorm';

export class Chat1795239977563 implements MigrationInterface {
  name = 'Chat1795239977563';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "chat_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "group_id" uuid NOT NULL, "author_id" uuid NOT NULL, "client_msg_id" uuid NOT NULL, "body" character varying(4000) NOT NULL, "status" character varying(20) NOT NULL DEFAULT \'published\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chat_messages_status_check" CHECK ("status" IN (\'published\', \'pending_review\', \'hidden\', \'removed\')), CONSTRAINT "PK_40c55ee0e571e268b0d3cd37d10" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "chat_messages_group_seq_idx" ON "chat_messages"  ("group_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "chat_messages_author_client_msg_key" ON "chat_messages"  ("author_id", "client_msg_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "chat_read_cursors" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "message_id" uuid NOT NULL, "message_seq" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4d46c2452ac4e878363b30ce415" PRIMARY KEY ("group_id", "user_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "chat_messages" DROP CONSTRAINT "chat_messages_author_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "chat_messages" DROP CONSTRAINT "chat_messages_group_id_fkey"',
    );
    await queryRunner.query('DROP TABLE "chat_read_cursors"');
    await queryRunner.query('DROP INDEX "public"."chat_messages_author_client_msg_key"');
    await queryRunner.query('DROP INDEX "public"."chat_messages_group_seq_idx"');
    await queryRunner.query('DROP TABLE "chat_messages"');
  }
}
