import { OmittableField } from '@kinship/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { TARGET_TYPES, type TargetType } from '../entities/moderation-report.entity';
import { QueueItemDto } from './queue.dto';

export const RESOLVE_ACTIONS = [
  'dismiss',
  'hide',
  'remove',
  'warn',
  'mute',
  'ban',
  'suspend',
] as const;
export const DIRECT_ACTIONS = [
  'hide',
  'remove',
  'restore',
  'warn',
  'mute',
  'unmute',
  'ban',
  'unban',
  'suspend',
] as const;
export type ModerationAction = (typeof RESOLVE_ACTIONS)[number] | (typeof DIRECT_ACTIONS)[number];

/** Ten years: the longest mute or timed suspension. */
export const MAX_DURATION_MINUTES = 5_256_000;

const NO_NUL = /^[^\0]*$/;

class ActionFieldsDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    description:
      'Why: kept in the audit log, and shown to the member for a warning, mute, ban or their content hidden or removed.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  reason: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_DURATION_MINUTES,
    description:
      'Required for mute; optional for suspend (without it, until lifted); refused otherwise.',
  })
  @OmittableField()
  @IsInt()
  @Min(1)
  @Max(MAX_DURATION_MINUTES)
  durationMinutes?: number;
}

export class ResolveReportDto extends ActionFieldsDto {
  @ApiProperty({
    enum: RESOLVE_ACTIONS,
    description:
      'dismiss: nothing wrong; hide: invisible to members, restorable; remove: for good; warn: the member is told; mute: no writing in the group for durationMinutes; ban: out of the group; suspend (admins): no access to the platform.',
  })
  @IsIn(RESOLVE_ACTIONS)
  action: (typeof RESOLVE_ACTIONS)[number];
}

export class DirectActionDto extends ActionFieldsDto {
  @ApiProperty({
    enum: DIRECT_ACTIONS,
    description: 'As in resolving a report, plus restore (hidden content), unmute and unban.',
  })
  @IsIn(DIRECT_ACTIONS)
  action: (typeof DIRECT_ACTIONS)[number];

  @ApiProperty({ enum: TARGET_TYPES })
  @IsIn(TARGET_TYPES)
  targetType: TargetType;

  @ApiProperty({ format: 'uuid', description: 'The post, thread, message or user.' })
  @IsUUID('all', { message: 'must be a UUID' })
  targetId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "For a user: the group of a mute, unmute, ban, unban or warning (content's is implied).",
  })
  @OmittableField()
  @IsUUID('all', { message: 'must be a UUID' })
  groupId?: string;
}

export class ActionResultDto {
  @ApiProperty({ enum: [...new Set([...RESOLVE_ACTIONS, ...DIRECT_ACTIONS])] }) action: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: TARGET_TYPES }) targetType: TargetType;
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) groupId: string | null;
  @ApiPropertyOptional({ type: QueueItemDto, description: 'The resolved report.' })
  report?: QueueItemDto;
  @ApiProperty({
    type: [String],
    description:
      'Queue items closed by this action (the report, and others on the same target when the action settles it).',
  })
  closedReports: string[];
  @ApiPropertyOptional({ description: "The content's status afterwards." })
  contentStatus?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The member a person action applied to.' })
  userId?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  mutedUntil?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) suspendedUntil?: string;
  @ApiProperty({ description: 'The audit log entry of this action.' }) auditSeq: string;
}
