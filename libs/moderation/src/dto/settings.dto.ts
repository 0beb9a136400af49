import { OmittableField } from '@kinship/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';
import type { GroupSettings } from '../repositories/settings.repository';

export const MAX_SLOW_MODE_SECONDS = 86_400;

export class UpdateGroupSettingsDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_SLOW_MODE_SECONDS,
    description:
      'Seconds a member waits between two posts (threads and replies), and between two chat messages; 0 turns slow mode off.',
  })
  @OmittableField()
  @IsInt()
  @Min(0)
  @Max(MAX_SLOW_MODE_SECONDS)
  slowModeSeconds?: number;

  @ApiPropertyOptional({
    description:
      "Hold a member's posts and messages for a moderator until one of them is approved (members who have published in the group are not affected).",
  })
  @OmittableField()
  @IsBoolean()
  firstPostApproval?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1000,
    description:
      'This many distinct members reporting a post, thread or message hide it until a moderator decides; 0 or null turns it off.',
  })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  reportHideThreshold?: number | null;
}

export class GroupSettingsDto {
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ description: '0 is off.' }) slowModeSeconds: number;
  @ApiProperty() firstPostApproval: boolean;
  @ApiProperty({ description: '0 is off.' }) reportHideThreshold: number;

  static of(groupId: string, s: GroupSettings): GroupSettingsDto {
    return {
      groupId,
      slowModeSeconds: s.slowModeSeconds,
      firstPostApproval: s.firstPostApproval,
      reportHideThreshold: s.reportHideThreshold,
    };
  }
}
