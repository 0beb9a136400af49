import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, Public, Roles, LimitedRead } from '@kinship/identity';
import { CreateGroupDto, GroupDto, GroupListQueryDto, GroupPageDto } from '../dto/group.dto';
import {
  JoinResultDto,
  MemberDto,
  MemberListQueryDto,
  MemberPageDto,
  UpdateMemberDto,
} from '../dto/member.dto';
import { GroupService } from '../services/group.service';

@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupService) {}

  @Post()
  @Roles('moderator')
  @ApiCreatedResponse({ type: GroupDto, description: "The creator becomes the group's moderator." })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateGroupDto): Promise<GroupDto> {
    return this.groups.create(user, body);
  }

  @Get()
  @Public()
  @ApiOkResponse({
    type: GroupPageDto,
    description: 'Public groups, plus the private ones the caller belongs to.',
  })
  list(@CurrentUser() user: AuthUser | undefined, @Query() query: GroupListQueryDto) {
    return this.groups.list(user, query);
  }

  @Get(':groupId')
  @Public()
  @ApiOkResponse({ type: GroupDto })
  @ApiNotFoundResponse({
    description: 'Unknown, or private and the caller is not an active member.',
  })
  get(
    @CurrentUser() user: AuthUser | undefined,
    @UuidParam('groupId') groupId: string,
  ): Promise<GroupDto> {
    return this.groups.get(user, groupId);
  }

  @Post(':groupId/members')
  @ApiCreatedResponse({
    type: JoinResultDto,
    description: '`active` for open groups, `pending` when approval is needed.',
  })
  async join(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
  ): Promise<JoinResultDto> {
    const membership = await this.groups.join(user, groupId);
    return { status: membership.status, role: membership.role };
  }

  @Delete(':groupId/members/me')
  @HttpCode(204)
  @ApiNoContentResponse()
  async leave(@CurrentUser() user: AuthUser, @UuidParam('groupId') groupId: string): Promise<void> {
    await this.groups.leave(user, groupId);
  }

  @Get(':groupId/members')
  @LimitedRead()
  @ApiOkResponse({ type: MemberPageDto, description: "For the group's moderators." })
  members(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @Query() query: MemberListQueryDto,
  ): Promise<MemberPageDto> {
    return this.groups.listMembers(user, groupId, query);
  }

  @Patch(':groupId/members/:userId')
  @ApiOkResponse({ type: MemberDto })
  updateMember(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @UuidParam('userId') memberId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.groups.updateMember(user, groupId, memberId, body);
  }
}
