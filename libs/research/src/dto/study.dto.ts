import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import type { ParticipantEntity } from '../entities/consent.entity';
import {
  STUDY_STATUSES,
  type StudyEntity,
  type StudyStatus,
  WINDOW_KINDS,
  type WindowKind,
} from '../entities/study.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MAX_STUDY_GROUPS = 50;

export class CreateStudyDto {
  @ApiProperty({ minLength: 3, maxLength: 200, example: 'Empowerment of readers and posters' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ maxLength: 5000 })
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  description: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_STUDY_GROUPS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STUDY_GROUPS)
  @IsUUID('all', { each: true, message: 'must be a list of group ids (UUIDs)' })
  groupIds: string[];

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  startsAt: string;

  @ApiProperty({ format: 'date-time', description: 'After startsAt.' })
  @IsISO8601({ strict: true })
  endsAt: string;

  @ApiPropertyOptional({ enum: WINDOW_KINDS, default: 'fixed' })
  @OmittableField()
  @IsIn(WINDOW_KINDS)
  window?: WindowKind;

  @ApiPropertyOptional({ minimum: 2, maximum: 1000, default: 5 })
  @OmittableField()
  @IsInt()
  @Min(2)
  @Max(1000)
  kAnonymity?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 1,
    description: 'Contributions in the window that make a poster (4: "≤ 3 posts is a lurker").',
  })
  @OmittableField()
  @IsInt()
  @Min(1)
  @Max(1000)
  posterMinContributions?: number;

  @ApiPropertyOptional({
    maxLength: 20000,
    description: 'What members agree to; defaults to the description.',
  })
  @OmittableField()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  consentText?: string;

  @ApiPropertyOptional({ default: '1', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' })
  @OmittableField()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, {
    message: 'must be 1 to 40 letters, digits, ".", "_" or "-"',
  })
  consentVersion?: string;
}

export class StudyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STUDY_STATUSES })
  @IsOptional()
  @IsIn(STUDY_STATUSES)
  status?: StudyStatus;
}

export class ConsentInputDto {
  @ApiProperty({ description: 'true consents; false withdraws.' })
  @IsBoolean()
  granted: boolean;
}

export class StudyGroupDto {
  @ApiProperty({ example: 'G01' }) code: string;
  @ApiProperty() condition: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Shown to the owner and admins, and to members for their own groups.',
  })
  groupId?: string;
}

export class ConsentStateDto {
  @ApiProperty({ format: 'uuid' }) studyId: string;
  @ApiProperty() granted: boolean;
  @ApiProperty({ description: 'Version of the consent text last agreed to.' })
  consentVersion: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last consent.' })
  grantedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt: string | null;

  /** The member's state; never consented reads as not granted, at the study's current version. */
  static of(study: StudyEntity, p: ParticipantEntity | null): ConsentStateDto {
    return {
      studyId: study.id,
      granted: p?.granted ?? false,
      consentVersion: p?.consentVersion ?? study.consentVersion,
      grantedAt: p?.grantedAt.toISOString() ?? null,
      withdrawnAt: p?.withdrawnAt?.toISOString() ?? null,
    };
  }
}

/** How the caller sees a study. */
export interface StudyViewer {
  isOwner: boolean;
  /** Owner and admins see every group's id; members only their own groups'. */
  seesAllGroupIds: boolean;
  activeGroupIds: ReadonlySet<string>;
  consent: ParticipantEntity | null;
}

export class StudyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [StudyGroupDto] }) groups: StudyGroupDto[];
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ enum: WINDOW_KINDS }) window: WindowKind;
  @ApiProperty() kAnonymity: number;
  @ApiProperty() posterMinContributions: number;
  @ApiProperty() consentText: string;
  @ApiProperty() consentVersion: string;
  @ApiProperty({ enum: STUDY_STATUSES }) status: StudyStatus;
  @ApiProperty({ description: 'Whether the caller created the study.' }) isOwner: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    type: ConsentStateDto,
    nullable: true,
    description: "The caller's consent; null when never given.",
  })
  consent: ConsentStateDto | null;

  static of(s: StudyEntity, viewer: StudyViewer): StudyDto {
    return {
      id: s.id,
      title: s.title,
      description: s.description,
      groups: (s.groups ?? []).map((g) => ({
        code: g.code,
        condition: g.condition,
        ...(viewer.seesAllGroupIds || viewer.activeGroupIds.has(g.groupId)
          ? { groupId: g.groupId }
          : {}),
      })),
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      window: s.windowKind,
      kAnonymity: s.kAnonymity,
      posterMinContributions: s.posterMinContributions,
      consentText: s.consentText,
      consentVersion: s.consentVersion,
      status: s.status,
      isOwner: viewer.isOwner,
      approvedAt: s.approvedAt?.toISOString() ?? null,
      closedAt: s.closedAt?.toISOString() ?? null,
      createdAt: s.createdAt.toISOString(),
      consent: viewer.consent ? ConsentStateDto.of(s, viewer.consent) : null,
    };
  }
}

export class StudyPageDto {
  @ApiProperty({ type: [StudyDto] }) items: StudyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
