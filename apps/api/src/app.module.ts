import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';
import { CommunitiesModule } from '@kinship/communities';
import { EngagementModule } from '@kinship/engagement';
import { IdentityModule } from '@kinship/identity';
import { HealthController } from './health.controller';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    DatabaseModule.forRoot('kinship-api'),
    IdentityModule,
    EngagementModule,
    CommunitiesModule,
  ],
  controllers: [HealthController],
  providers: [Clock],
})
export class AppModule {}
