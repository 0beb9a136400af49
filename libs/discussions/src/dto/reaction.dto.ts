import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ReactionCountsDto } from './post.dto';
import { REACTION_KINDS, type ReactionKind } from '../entities/reaction.entity';

export class ToggleReactionDto {
  @ApiProperty({ enum: REACTION_KINDS })
  @IsIn(REACTION_KINDS)
  kind: ReactionKind;
}

export class ReactionStateDto {
  @ApiProperty({ format: 'uuid' }) postId: string;
  @ApiProperty({ enum: REACTION_KINDS }) kind: ReactionKind;
  @ApiProperty({ description: 'true when this call added the reaction, false when it removed it.' })
  given: boolean;
  @ApiProperty({ type: ReactionCountsDto }) reactions: ReactionCountsDto;
  @ApiProperty({ enum: REACTION_KINDS, isArray: true }) myReactions: ReactionKind[];
}
