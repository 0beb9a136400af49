import { OmittableField } from '@kinship/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ITEM_KEY, MAX_ITEMS, MAX_SCALE } from '../anonymise/survey-rules';
import { SURVEY_WAVES, type SurveyWave } from '../entities/survey.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SurveyItemDto {
  @ApiProperty({ pattern: ITEM_KEY.source, example: 'informed' })
  @IsString()
  @Matches(ITEM_KEY, {
    message: 'must start with a lower-case letter, then up to 39 lower-case letters, digits or _',
  })
  key: string;

  @ApiProperty({ maxLength: 500, example: 'I feel well informed about my condition.' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text: string;

  @ApiProperty({ example: 1, minimum: -MAX_SCALE, maximum: MAX_SCALE })
  @IsInt()
  @Min(-MAX_SCALE)
  @Max(MAX_SCALE)
  min: number;

  @ApiProperty({ example: 5, minimum: -MAX_SCALE, maximum: MAX_SCALE })
  @IsInt()
  @Min(-MAX_SCALE)
  @Max(MAX_SCALE)
  max: number;
}

export class CreateSurveyDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ enum: SURVEY_WAVES, default: 'other' })
  @OmittableField()
  @IsIn(SURVEY_WAVES)
  wave?: SurveyWave;

  @ApiProperty({ type: [SurveyItemDto], minItems: 1, maxItems: MAX_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => SurveyItemDto)
  items: SurveyItemDto[];
}

export class SurveyResponseInputDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { informed: 4, confident: 3 },
    description: "Every item's key with an integer within its range; nothing else.",
  })
  @IsObject()
  answers: Record<string, unknown>;
}

export class SurveyStudyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
}

export class SurveyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) studyId: string;
  @ApiProperty({ example: 'S01', description: 'Names the survey in exports.' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: SURVEY_WAVES }) wave: SurveyWave;
  @ApiProperty({ type: [SurveyItemDto] }) items: SurveyItemDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A survey waiting for the caller, with its study. */
export class PendingSurveyDto extends SurveyDto {
  @ApiProperty({ type: SurveyStudyDto }) study: SurveyStudyDto;
}

export class SurveyPageDto {
  @ApiProperty({ type: [SurveyDto] }) items: SurveyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PendingSurveyPageDto {
  @ApiProperty({ type: [PendingSurveyDto] }) items: PendingSurveyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class SurveyResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) surveyId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  answers: Record<string, number>;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
}
