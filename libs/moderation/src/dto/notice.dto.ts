import { ApiProperty } from '@nestjs/swagger';
import { NOTICE_KINDS, type NoticeEntity } from '../entities/notice.entity';

class NoticeGroupDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

/** What a member is told about a moderation decision concerning them. */
export class NoticeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: NOTICE_KINDS,
    description:
      '`warning`; `mute` (until `until`); `ban`; `content_hidden` / `content_removed` (the target is your post, thread or message).',
  })
  kind: string;
  @ApiProperty({ type: NoticeGroupDto, nullable: true }) group: NoticeGroupDto | null;
  @ApiProperty({ type: String, nullable: true, enum: ['post', 'thread', 'message'] })
  targetType: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) targetId: string | null;
  @ApiProperty({ description: "The moderator's reason." }) reason: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A mute ends.' })
  until: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(n: NoticeEntity, group: NoticeGroupDto | null): NoticeDto {
    return {
      id: n.id,
      kind: n.kind,
      group,
      targetType: n.targetType,
      targetId: n.targetId,
      reason: n.reason,
      until: n.until?.toISOString() ?? null,
      createdAt: n.createdAt.toISOString(),
    };
  }
}

export class NoticePageDto {
  @ApiProperty({ type: [NoticeDto] }) items: NoticeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
