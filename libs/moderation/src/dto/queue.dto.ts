import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import {
  type ModerationReportEntity,
  TARGET_TYPES,
  type TargetType,
} from '../entities/moderation-report.entity';
import { CATEGORIES, type Category } from '../screening/screening.types';

export class CreateReportDto {
  @ApiProperty({ enum: TARGET_TYPES })
  @IsIn(TARGET_TYPES)
  targetType: TargetType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  targetId: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  reason: Category;

  @ApiPropertyOptional({ maxLength: 2000 })
  @OmittableField()
  @IsString()
  @MaxLength(2000)
  details?: string;
}

export class QueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  groupId?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';
}

export class RejectHeldDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'Why (kept for the audit).' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

class ReporterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() handle: string;
}

class ResolutionDto {
  @ApiProperty({
    description:
      'approved, rejected, dismissed, hidden, removed, restored, warned, muted, banned or suspended.',
  })
  action: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) by: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

class ReasonDto {
  @ApiProperty({ enum: ['member', 'rule', 'crisis', 'privacy', 'first_post'] }) source: string;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiPropertyOptional() action?: string;
  @ApiPropertyOptional({ format: 'uuid' }) ruleId?: string;
  @ApiPropertyOptional() detail?: string;
}

export class QueueItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['report', 'held', 'flag'],
    description: "A member's report, or content screening held or flagged.",
  })
  kind: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) groupId: string | null;
  @ApiProperty({ enum: TARGET_TYPES }) targetType: TargetType;
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty({ enum: CATEGORIES }) reason: Category;
  @ApiProperty({ type: String, nullable: true }) details: string | null;
  @ApiProperty({ type: ReporterDto, nullable: true, description: 'Null when screening raised it.' })
  reporter: ReporterDto | null;
  @ApiProperty({ type: [ReasonDto] }) reasons: ReasonDto[];
  @ApiProperty({ description: '0 is most urgent (self-harm).' }) urgency: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({
    type: Object,
    description: 'The target in context: body, thread title, group, neighbouring messages.',
  })
  target?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ResolutionDto, description: 'How a resolved item was closed.' })
  resolution?: ResolutionDto;

  static of(
    r: ModerationReportEntity,
    reporter: ReporterDto | null,
    target?: Record<string, unknown>,
  ): QueueItemDto {
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      groupId: r.groupId,
      targetType: r.targetType,
      targetId: r.targetId,
      reason: r.reason,
      details: r.details,
      reporter,
      reasons: r.reasons.length
        ? r.reasons
        : [{ source: 'member', category: r.reason, ...(r.details ? { detail: r.details } : {}) }],
      urgency: r.urgency,
      createdAt: new Date(r.createdAt).toISOString(),
      ...(target ? { target } : {}),
      ...(r.status === 'resolved' && r.resolution
        ? {
            resolution: {
              action: r.resolution,
              reason: r.resolutionReason,
              by: r.resolvedBy,
              at: new Date(r.resolvedAt ?? r.createdAt).toISOString(),
            },
          }
        : {}),
    };
  }
}

export class QueuePageDto {
  @ApiProperty({ type: [QueueItemDto] }) items: QueueItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class HeldDecisionDto {
  @ApiProperty({ format: 'uuid' }) contentId: string;
  @ApiProperty({ enum: ['post', 'message'] }) contentType: string;
  @ApiProperty({ enum: ['published', 'removed'] }) status: string;
}
