import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import type { ModerationRuleEntity } from '../entities/moderation-rule.entity';
import { MAX_PATTERN_LENGTH } from '../screening/regex-safety';
import {
  CATEGORIES,
  type Category,
  MATCH_TYPES,
  type MatchType,
  RULE_ACTIONS,
  type RuleAction,
} from '../screening/screening.types';

export class CreateRuleDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Omit for a global rule (admins only).' })
  @OmittableField()
  @IsUUID('all', { message: 'must be a UUID' })
  groupId?: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_PATTERN_LENGTH, example: 'miracle cure' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PATTERN_LENGTH)
  pattern: string;

  @ApiProperty({ enum: MATCH_TYPES })
  @IsIn(MATCH_TYPES)
  matchType: MatchType;

  @ApiProperty({ enum: RULE_ACTIONS })
  @IsIn(RULE_ACTIONS)
  action: RuleAction;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category: Category;
}

export class RuleListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "A group's rules; omit for the global ones.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  groupId?: string;
}

export class RuleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) groupId: string | null;
  @ApiProperty() pattern: string;
  @ApiProperty({ enum: MATCH_TYPES }) matchType: MatchType;
  @ApiProperty({ enum: RULE_ACTIONS }) action: RuleAction;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(r: ModerationRuleEntity): RuleDto {
    return {
      id: r.id,
      groupId: r.groupId,
      pattern: r.pattern,
      matchType: r.matchType,
      action: r.action,
      category: r.category,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class RulePageDto {
  @ApiProperty({ type: [RuleDto] }) items: RuleDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
