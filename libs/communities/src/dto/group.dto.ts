import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import type { GroupEntity, GroupVisibility, JoinPolicy } from '../entities/group.entity';
import type { GroupRole, MembershipEntity, MembershipStatus } from '../entities/membership.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateGroupDto {
  @ApiProperty({
    example: 'Parents of children with type 1 diabetes',
    minLength: 3,
    maxLength: 100,
  })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 't1d-parents', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' })
  @IsString()
  @MinLength(3)
  @MaxLength(60)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'must be lower-case letters and digits separated by single hyphens',
  })
  slug: string;

  @ApiProperty({ example: 'Type 1 diabetes', description: 'The condition, as members name it.' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  condition: string;

  @ApiPropertyOptional({ example: 'E10', description: 'ICD-10 code of the condition.' })
  @OmittableField()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, {
    message: 'must be an ICD-10 code such as E10 or C50.9',
  })
  conditionCode?: string;

  @ApiProperty({ maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @IsIn(['public', 'private'])
  visibility: GroupVisibility;

  @ApiProperty({ enum: ['open', 'approval'] })
  @IsIn(['open', 'approval'])
  joinPolicy: JoinPolicy;
}

export class GroupListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Searches name and condition.', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class MembershipSummaryDto {
  @ApiProperty({ enum: ['pending', 'active', 'left', 'banned'] }) status: MembershipStatus;
  @ApiProperty({ enum: ['member', 'moderator'] }) role: GroupRole;
}

export class GroupDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() condition: string;
  @ApiProperty({ type: String, nullable: true }) conditionCode: string | null;
  @ApiProperty() description: string;
  @ApiProperty({ enum: ['public', 'private'] }) visibility: GroupVisibility;
  @ApiProperty({ enum: ['open', 'approval'] }) joinPolicy: JoinPolicy;
  @ApiProperty() memberCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    type: MembershipSummaryDto,
    nullable: true,
    description: "The caller's membership, if any.",
  })
  membership: MembershipSummaryDto | null;

  static of(group: GroupEntity, membership: MembershipEntity | null): GroupDto {
    return {
      id: group.id,
      name: group.name,
      slug: group.slug,
      condition: group.conditionLabel,
      conditionCode: group.conditionCode,
      description: group.description,
      visibility: group.visibility,
      joinPolicy: group.joinPolicy,
      memberCount: group.memberCount,
      createdAt: group.createdAt.toISOString(),
      membership: membership ? { status: membership.status, role: membership.role } : null,
    };
  }
}

export class GroupPageDto {
  @ApiProperty({ type: [GroupDto] }) items: GroupDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
