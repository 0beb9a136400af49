import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    // The api applies migrations; the worker waits for a migrated schema instead of racing it.
    DatabaseModule.forRoot('kinship-worker'),
  ],
  providers: [Clock],
})
export class WorkerModule {}
