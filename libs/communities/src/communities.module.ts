import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { IdentityModule } from '@kinship/identity';
import { GroupsController } from './controllers/groups.controller';
import { GroupEntity } from './entities/group.entity';
import { MembershipEntity } from './entities/membership.entity';
import { GroupRepository } from './repositories/group.repository';
import { MembershipPersonalDataRepository } from './repositories/membership-personal-data.repository';
import { MembershipRepository } from './repositories/membership.repository';
import { GroupAccessPolicy } from './services/group-access.policy';
import { GroupService } from './services/group.service';
import { MemberSanctions } from './services/member-sanctions.service';
import { MembershipPersonalData } from './services/membership-personal-data.source';
import { MembershipDirectory } from './services/membership-directory';

@Module({
  imports: [TypeOrmModule.forFeature([GroupEntity, MembershipEntity]), IdentityModule],
  controllers: [GroupsController],
  providers: [
    Clock,
    GroupRepository,
    MembershipRepository,
    GroupAccessPolicy,
    GroupService,
    MemberSanctions,
    MembershipPersonalDataRepository,
    MembershipPersonalData,
    MembershipDirectory,
  ],
  exports: [GroupAccessPolicy, GroupService, MemberSanctions, MembershipDirectory],
})
export class CommunitiesModule {}
