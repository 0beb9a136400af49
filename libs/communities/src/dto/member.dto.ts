import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto, OmittableField } from '@kinship/common';
import { PublicUserDto } from '@kinship/identity';
import type { GroupRole, MembershipEntity, MembershipStatus } from '../entities/membership.entity';

export class JoinResultDto {
  @ApiProperty({ enum: ['active', 'pending'] }) status: MembershipStatus;
  @ApiProperty({ enum: ['member', 'moderator'] }) role: GroupRole;
}

export class MemberListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'active', 'left', 'banned'] })
  @IsOptional()
  @IsIn(['pending', 'active', 'left', 'banned'])
  status?: MembershipStatus;
}

export class UpdateMemberDto {
  @ApiPropertyOptional({ enum: ['active'], description: '`active` approves a pending member.' })
  @OmittableField()
  @IsIn(['active'])
  status?: 'active';

  @ApiPropertyOptional({ enum: ['member', 'moderator'] })
  @OmittableField()
  @IsIn(['member', 'moderator'])
  role?: GroupRole;
}

export class MemberDto {
  @ApiProperty({ type: PublicUserDto }) user: PublicUserDto;
  @ApiProperty({ enum: ['pending', 'active', 'left', 'banned'] }) status: MembershipStatus;
  @ApiProperty({ enum: ['member', 'moderator'] }) role: GroupRole;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) joinedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While a mute runs: when it ends.',
  })
  mutedUntil: string | null;

  static of(m: MembershipEntity, user: PublicUserDto): MemberDto {
    return {
      user,
      status: m.status,
      role: m.role,
      requestedAt: m.requestedAt.toISOString(),
      joinedAt: m.joinedAt?.toISOString() ?? null,
      mutedUntil: m.mutedUntil && m.mutedUntil > new Date() ? m.mutedUntil.toISOString() : null,
    };
  }
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) items: MemberDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
