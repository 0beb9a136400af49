import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { IdentityModule } from '@kinship/identity';
import { GroupsController } from './controllers/groups.controller';
import { GroupEntity } from './entities/group.entity';
import { MembershipEntity } from './entities/membership.entity';
import { GroupRepository } from './repositories/group.repository';
import { MembershipRepository } from './repositories/membership.repository';
import { GroupAccessPolicy } from './services/group-access.policy';
import { GroupService } from './services/group.service';

@Module({
  imports: [TypeOrmModule.forFeature([GroupEntity, MembershipEntity]), IdentityModule],
  controllers: [GroupsController],
  providers: [Clock, GroupRepository, MembershipRepository, GroupAccessPolicy, GroupService],
  exports: [GroupAccessPolicy, GroupService],
})
export class CommunitiesModule {}
