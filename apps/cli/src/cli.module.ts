import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';
import { CommunitiesModule } from '@kinship/communities';
import { EngagementModule } from '@kinship/engagement';
import { IdentityModule } from '@kinship/identity';

/** The same feature modules as the api, without HTTP: for operator commands. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    DatabaseModule.forRoot('kinship-cli'),
    IdentityModule,
    EngagementModule,
    CommunitiesModule,
  ],
  providers: [Clock],
})
export class CliModule {}
