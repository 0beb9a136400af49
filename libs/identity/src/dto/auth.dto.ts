import { OmittableField } from '@kinship/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { UserEntity } from '../entities/user.entity';
import { PLATFORM_ROLES } from '../roles';
import type { PlatformRole } from '../roles';

const trimLower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export const HANDLE_PATTERN = /^[A-Za-z0-9_-]{3,30}$/;

export class RegisterDto {
  @ApiProperty({ example: 'rosa@example.org', maxLength: 254 })
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'must be an email address' })
  email: string;

  @ApiProperty({
    minLength: 8,
    maxLength: 128,
    description: 'Not one of the most common passwords.',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({
    example: 'rosa_t1d',
    pattern: HANDLE_PATTERN.source,
    description: 'Pseudonymous name shown to others.',
  })
  @IsString()
  @Matches(HANDLE_PATTERN, { message: 'must be 3 to 30 letters, digits, _ or -' })
  // Handles that would let someone pass for staff or the platform.
  @Matches(
    /^(?!(admin|administrator|moderator|mod|kinship|staff|support|system|deleted|deleted-member|anonymous|root)$)/i,
    {
      message: 'is reserved',
    },
  )
  handle: string;
}

export class LoginDto {
  @ApiProperty({ example: 'rosa@example.org' })
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last sign-in or refresh; usable once.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class AdminUpdateUserDto {
  @ApiPropertyOptional({ enum: PLATFORM_ROLES })
  @OmittableField()
  @IsIn(PLATFORM_ROLES)
  role?: PlatformRole;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null lifts a suspension.',
  })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsISO8601({ strict: true })
  suspendedUntil?: string | null;
}

/** The caller's own profile: the only answer that carries an email. */
export class OwnProfileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() handle: string;
  @ApiProperty({ enum: PLATFORM_ROLES }) role: PlatformRole;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(user: UserEntity): OwnProfileDto {
    return {
      id: user.id,
      email: user.email ?? '',
      handle: user.handle,
      role: user.role,
      suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

/** How a user appears to staff: never the email. */
export class UserAdminViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() handle: string;
  @ApiProperty({ enum: PLATFORM_ROLES }) role: PlatformRole;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(user: UserEntity): UserAdminViewDto {
    return {
      id: user.id,
      handle: user.handle,
      role: user.role,
      suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

/** How a user appears to other members everywhere: id and handle only. */
export class PublicUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() handle: string;
}

export class TokensDto {
  @ApiProperty({ type: OwnProfileDto }) user: OwnProfileDto;
  @ApiProperty({ description: 'Short-lived JWT for Authorization: Bearer' }) accessToken: string;
  @ApiProperty({ description: 'Opaque; rotates on every use' }) refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
}
