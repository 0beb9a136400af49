import { OmittableField } from '@kinship/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const noSpaces = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/\s+/g, '') : value;

/** A second factor: a code from the authenticator app, or one of the recovery codes. */
export class SecondFactorDto {
  @ApiPropertyOptional({
    example: '492039',
    description: 'The 6-digit code the authenticator app shows now (each works once).',
  })
  @OmittableField()
  @Transform(noSpaces)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits your authenticator shows' })
  code?: string;

  @ApiPropertyOptional({
    example: 'K7QM-3XRA-PW9D-HT2N',
    description: 'Instead of `code`: one of the recovery codes (each works once).',
  })
  @OmittableField()
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{16,40}$/, { message: 'is not a recovery code' })
  recoveryCode?: string;
}

export class EnableTwoFactorDto {
  @ApiProperty({ example: '492039', description: 'A code the app shows for the new secret.' })
  @Transform(noSpaces)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits your authenticator shows' })
  code: string;
}

export class VerifyTwoFactorDto extends SecondFactorDto {
  @ApiProperty({ description: 'The `mfaToken` of the sign-in answer; usable once, 5 minutes.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  mfaToken: string;
}

/** Password plus a second factor: turning two-factor off, new recovery codes. */
export class ConfirmWithSecondFactorDto extends SecondFactorDto {
  @ApiProperty({ description: 'The current password.' })
  @IsString()
  @MaxLength(128)
  password: string;
}

export class TwoFactorSetupDto {
  @ApiProperty({ description: 'Base32 secret, for apps where it is typed in.' })
  secret: string;
  @ApiProperty({
    example:
      'otpauth://totp/Kinship:rosa_t1d?issuer=Kinship&secret=…&algorithm=SHA1&digits=6&period=30',
    description: 'For a QR code; labelled with the handle, never the email.',
  })
  otpauthUri: string;
  @ApiProperty({ enum: ['SHA1'] }) algorithm: 'SHA1';
  @ApiProperty({ example: 6 }) digits: number;
  @ApiProperty({ example: 30, description: 'Seconds per code.' }) period: number;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description: 'Ten one-time codes for when the authenticator is lost; shown only now.',
  })
  recoveryCodes: string[];
}

export class TwoFactorStatusDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) enabledAt: string | null;
  @ApiProperty() recoveryCodesLeft: number;
  @ApiProperty({
    description:
      'True for staff (moderator, researcher, admin): their role acts only after a two-factor sign-in.',
  })
  required: boolean;
}

/** The answer to a password sign-in when two-factor sign-in is on. */
export class MfaChallengeDto {
  @ApiProperty({ enum: [true] }) mfaRequired: true;
  @ApiProperty({ description: 'Send it to POST /auth/2fa/verify with a code.' }) mfaToken: string;
  @ApiProperty({ description: 'Seconds the second step may take.' }) expiresIn: number;
}
