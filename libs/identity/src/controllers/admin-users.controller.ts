import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonException, UuidParam } from '@kinship/common';
import { AdminUpdateUserDto, UserAdminViewDto } from '../dto/auth.dto';
import { CurrentUser, Roles } from '../guards/auth.decorators';
import type { AuthUser } from '../roles';
import { UserService } from '../services/user.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UserService) {}

  @Patch(':userId')
  @Roles('admin')
  @ApiOkResponse({ type: UserAdminViewDto })
  async update(
    @CurrentUser() caller: AuthUser,
    @UuidParam('userId') userId: string,
    @Body() body: AdminUpdateUserDto,
  ): Promise<UserAdminViewDto> {
    if (body.role === undefined && body.suspendedUntil === undefined) {
      throw CommonException.validation([{ field: 'role', message: 'send role or suspendedUntil' }]);
    }
    const user = await this.users.adminUpdate(caller.id, userId, {
      role: body.role,
      suspendedUntil:
        body.suspendedUntil === undefined || body.suspendedUntil === null
          ? body.suspendedUntil
          : new Date(body.suspendedUntil),
    });
    return UserAdminViewDto.of(user);
  }
}
