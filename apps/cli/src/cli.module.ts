import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';
import { ChatModule } from '@kinship/chat';
import { CommunitiesModule } from '@kinship/communities';
import { DiscussionsModule } from '@kinship/discussions';
import { EngagementModule } from '@kinship/engagement';
import { IdentityModule } from '@kinship/identity';
import { ModerationModule } from '@kinship/moderation';
import { ResearchEntitiesModule } from '@kinship/research';

/** The same feature modules as the api, without HTTP: for operator commands. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    EventEmitterModule.forRoot(),
    DatabaseModule.forRoot('kinship-cli'),
    IdentityModule,
    EngagementModule,
    CommunitiesModule,
    ModerationModule,
    DiscussionsModule,
    ChatModule,
    // The research tables, for the schema commands; exports are built by the api or the worker.
    ResearchEntitiesModule,
  ],
  providers: [Clock],
})
export class CliModule {}
