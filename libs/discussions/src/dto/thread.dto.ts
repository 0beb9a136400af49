import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@kinship/common';
import { PublicUserDto } from '@kinship/identity';
import { MAX_BODY_LENGTH, IsPostBody } from './body.validation';
import { PostDto, ScreenedAnswerDto } from './post.dto';
import type { ThreadEntity } from '../entities/thread.entity';
import { POST_STATUSES, type PostStatus } from '../entities/post.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateThreadDto {
  @ApiProperty({ example: 'First week after diagnosis', minLength: 3, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({
    description: 'Markdown: the first post.',
    minLength: 1,
    maxLength: MAX_BODY_LENGTH,
  })
  @IsPostBody()
  body: string;
}

export class ThreadListQueryDto extends PageQueryDto {}

export class ThreadDto extends ScreenedAnswerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: PublicUserDto }) author: PublicUserDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
  @ApiProperty({ description: 'Replies, not counting the first post.' }) replyCount: number;
  @ApiPropertyOptional({
    type: PostDto,
    description: 'On create and GET /threads/{threadId}; lists leave it out.',
  })
  firstPost?: PostDto;
  @ApiPropertyOptional({
    enum: POST_STATUSES,
    description: "On create: the first post's status (`pending_review` when screening held it).",
  })
  status?: PostStatus;

  static of(thread: ThreadEntity, author: PublicUserDto, firstPost?: PostDto): ThreadDto {
    return {
      id: thread.id,
      groupId: thread.groupId,
      title: thread.title,
      author,
      createdAt: thread.createdAt.toISOString(),
      lastActivityAt: thread.lastActivityAt.toISOString(),
      replyCount: thread.replyCount,
      ...(firstPost ? { firstPost } : {}),
    };
  }
}

export class ThreadPageDto {
  @ApiProperty({ type: [ThreadDto] }) items: ThreadDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
