import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@kinship/common';
import type { ModerationAuditEntity } from '../entities/moderation-audit.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  groupId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ example: 'content.hide', description: 'An action name, exactly.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/, { message: 'must be an action name such as content.hide' })
  action?: string;

  @ApiPropertyOptional({ description: 'The id of the content, user, report or rule acted on.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  targetId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this time (inclusive).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this time (exclusive).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 time' })
  to?: string;
}

class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() handle: string;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Position in the log: 1, 2, 3… without gaps.' }) seq: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({
    type: AuditActorDto,
    nullable: true,
    description: 'Who acted; null when the platform did (e.g. the report threshold).',
  })
  actor: AuditActorDto | null;
  @ApiProperty({ example: 'member.mute' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: 'post' }) targetType: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) groupId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: Object, description: 'Action-specific facts (report id, mute end…).' })
  details: Record<string, unknown>;
  @ApiProperty({ description: "SHA-256 of the previous entry's hash and this entry." })
  hash: string;
  @ApiProperty() prevHash: string;

  static of(a: ModerationAuditEntity, actor: AuditActorDto | null): AuditEntryDto {
    return {
      seq: a.seq,
      occurredAt: a.occurredAt.toISOString(),
      actor,
      action: a.action,
      targetType: a.targetType,
      targetId: a.targetId,
      groupId: a.groupId,
      reason: a.reason,
      details: a.details,
      hash: a.hash,
      prevHash: a.prevHash,
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'True when every entry fits the chain.' }) ok: boolean;
  @ApiProperty({ description: 'Entries verified before the first break (all when ok).' })
  checked: number;
  @ApiPropertyOptional({ description: 'The first entry that does not fit (or is missing).' })
  firstBrokenSeq?: string;
  @ApiPropertyOptional({ enum: ['hash-mismatch', 'link-mismatch', 'missing-entry'] })
  problem?: string;
  @ApiProperty({ type: String, nullable: true, description: 'The last verified entry.' })
  lastSeq: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Its hash: keep it elsewhere to detect a rewritten tail later.',
  })
  lastHash: string | null;
}
