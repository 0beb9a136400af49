import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';
import { ChatModule } from '@kinship/chat';
import { CommunitiesModule } from '@kinship/communities';
import { DiscussionsModule } from '@kinship/discussions';
import { EngagementModule, EngagementRollupModule } from '@kinship/engagement';
import { IdentityModule } from '@kinship/identity';
import { ModerationModule } from '@kinship/moderation';
import { ResearchModule } from '@kinship/research';
import { HealthController } from './health.controller';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    EventEmitterModule.forRoot(),
    DatabaseModule.forRoot('kinship-api'),
    IdentityModule,
    EngagementModule,
    EngagementRollupModule,
    CommunitiesModule,
    ModerationModule,
    DiscussionsModule,
    ChatModule,
    ResearchModule,
  ],
  controllers: [HealthController],
  providers: [Clock],
})
export class AppModule {}
