import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { ConfirmWithSecondFactorDto } from './two-factor.dto';

/** DELETE /me: the password, and a code (or a recovery code) while two-factor sign-in is on. */
export class EraseAccountDto extends ConfirmWithSecondFactorDto {}

const list = (description: string): ApiPropertyOptions => ({
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description,
});

/**
 * GET /me/data. Sections come from the libraries that hold the data (each registers a
 * PersonalDataSource); the ones below exist today. Times are ISO-8601 UTC; other people appear
 * only by id and handle, as the product shows them.
 */
export class PersonalDataDto {
  @ApiProperty({ example: 'kinship-personal-data/1' }) format: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      '`{id, email, handle, role, createdAt, suspendedUntil, failedSignIns, lockedUntil, twoFactor: {enabled, enabledAt, recoveryCodesLeft}}`',
  })
  profile: Record<string, unknown>;

  @ApiProperty(list('`{createdAt, lastUsedAt, expiresAt, twoFactor, endedAt, endedBecause}`'))
  sessions: object[];

  @ApiPropertyOptional(
    list(
      '`{groupId, groupName, condition, status, role, requestedAt, joinedAt, leftAt, createdTheGroup}`',
    ),
  )
  memberships?: object[];

  @ApiPropertyOptional(
    list('Threads the member started: `{id, groupId, title, createdAt, deletedAt}`'),
  )
  threads?: object[];

  @ApiPropertyOptional(
    list(
      'Posts the member wrote (first posts and replies, held and deleted ones too): `{id, threadId, groupId, replyToPostId, body, status, createdAt, editedAt, deletedAt, edits: [{previousBody, editedAt}]}`',
    ),
  )
  posts?: object[];

  @ApiPropertyOptional(list('`{postId, kind, createdAt}`'))
  reactions?: object[];

  @ApiPropertyOptional(
    list('`{id, groupId, clientMsgId, body, status, createdAt}`: the member’s chat messages'),
  )
  chatMessages?: object[];

  @ApiPropertyOptional(list('`{groupId, messageId, updatedAt}`: how far the member read'))
  chatReadPositions?: object[];

  @ApiPropertyOptional(
    list(
      'Reports the member filed: `{id, targetType, targetId, reason, details, status, createdAt, resolvedAt, resolution}`',
    ),
  )
  reports?: object[];

  @ApiPropertyOptional(
    list('The member’s engagement events: `{kind, groupId, objectId, occurredAt}`'),
  )
  engagementEvents?: object[];
}
