import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OwnProfileDto } from '../dto/auth.dto';
import { CurrentUser } from '../guards/auth.decorators';
import type { AuthUser } from '../roles';
import { UserService } from '../services/user.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOkResponse({ type: OwnProfileDto })
  async me(@CurrentUser() caller: AuthUser): Promise<OwnProfileDto> {
    return OwnProfileDto.of(await this.users.get(caller.id));
  }
}
