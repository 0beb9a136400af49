import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@kinship/common';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { NoticePageDto } from '../dto/notice.dto';
import { NoticeService } from '../services/notice.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('me/notices')
export class NoticesController {
  constructor(private readonly notices: NoticeService) {}

  @Get()
  @ApiOkResponse({
    type: NoticePageDto,
    description:
      'Moderation decisions about the caller, newest first: warnings, mutes, bans, content hidden or removed (also sent live as moderation:warning / moderation:notice).',
  })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<NoticePageDto> {
    return this.notices.list(user, query);
  }
}
