import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';

export const MAX_BODY_LENGTH = 20_000;

/** A post body: Markdown, 1 to 20,000 characters, not only whitespace. */
export const IsPostBody = () =>
  applyDecorators(
    IsString(),
    MaxLength(MAX_BODY_LENGTH),
    // Also refuses the empty string, with one message rather than two.
    Matches(/\S/, { message: 'must not be blank' }),
  );
