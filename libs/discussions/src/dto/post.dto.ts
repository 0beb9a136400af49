import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import { PublicUserDto } from '@kinship/identity';
import { MAX_BODY_LENGTH, IsPostBody } from './body.validation';
import { POST_STATUSES, type PostEntity, type PostStatus } from '../entities/post.entity';
import { REACTION_KINDS, type ReactionKind } from '../entities/reaction.entity';

export class CreatePostDto {
  @ApiProperty({ description: 'Markdown.', minLength: 1, maxLength: MAX_BODY_LENGTH })
  @IsPostBody()
  body: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A post of the same thread.' })
  @OmittableField()
  @IsUUID('all')
  replyToPostId?: string;
}

export class UpdatePostDto {
  @ApiProperty({ description: 'Markdown.', minLength: 1, maxLength: MAX_BODY_LENGTH })
  @IsPostBody()
  body: string;
}

export class PostListQueryDto extends PageQueryDto {}

export class ReactionCountsDto {
  @ApiProperty() support: number;
  @ApiProperty() helpful: number;
  @ApiProperty() hug: number;
}

export class ScreeningDto {
  @ApiProperty({ enum: ['hold', 'flag'] }) action: 'hold' | 'flag';
  @ApiProperty({
    enum: ['spam', 'harassment', 'misinformation', 'self_harm', 'privacy', 'other'],
  })
  category: string;
  @ApiPropertyOptional({ description: 'What to edit (e.g. a phone number was found).' })
  detail?: string;
}

export class CrisisResourceDto {
  @ApiProperty() name: string;
  @ApiProperty() contact: string;
  @ApiPropertyOptional() url?: string;
}

/** What screening adds to the answer of a write (never to lists). */
export class ScreenedAnswerDto {
  @ApiPropertyOptional({ type: ScreeningDto, description: 'When screening held or flagged it.' })
  screening?: ScreeningDto;

  @ApiPropertyOptional({
    type: [CrisisResourceDto],
    description: 'When crisis language was found: where to get help now.',
  })
  crisisResources?: CrisisResourceDto[];
}

export class PostDto extends ScreenedAnswerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) threadId: string;
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ type: PublicUserDto }) author: PublicUserDto;
  @ApiProperty({ description: 'The Markdown source.' }) body: string;
  @ApiProperty({ description: 'The body rendered to sanitised HTML.' }) html: string;
  @ApiProperty({ enum: POST_STATUSES }) status: PostStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) replyToPostId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt: string | null;
  @ApiProperty({ type: ReactionCountsDto }) reactions: ReactionCountsDto;
  @ApiProperty({
    enum: REACTION_KINDS,
    isArray: true,
    description: 'The kinds the caller gave (empty without a token).',
  })
  myReactions: ReactionKind[];

  static of(post: PostEntity, author: PublicUserDto, myReactions: ReactionKind[] = []): PostDto {
    return {
      id: post.id,
      threadId: post.threadId,
      groupId: post.groupId,
      author,
      body: post.body,
      html: post.html,
      status: post.status,
      replyToPostId: post.replyToPostId,
      createdAt: post.createdAt.toISOString(),
      editedAt: post.editedAt?.toISOString() ?? null,
      reactions: countsOf(post),
      myReactions,
    };
  }
}

export function countsOf(post: Pick<PostEntity, 'supportCount' | 'helpfulCount' | 'hugCount'>) {
  return { support: post.supportCount, helpful: post.helpfulCount, hug: post.hugCount };
}

export class PostPageDto {
  @ApiProperty({ type: [PostDto] }) items: PostDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PostEditDto {
  @ApiProperty({ description: 'The body before this edit.' }) previousBody: string;
  @ApiProperty({ type: PublicUserDto }) editor: PublicUserDto;
  @ApiProperty({ format: 'date-time' }) editedAt: string;
}

export class PostEditPageDto {
  @ApiProperty({ type: [PostEditDto] }) items: PostEditDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
