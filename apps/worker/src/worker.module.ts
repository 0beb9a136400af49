import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, Clock, RedisModule } from '@kinship/common';
import { DatabaseModule } from '@kinship/database';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    RedisModule,
    // Pending migrations are applied by whichever process starts first (api, worker or cli),
    // one at a time under an advisory lock, so starting them together is safe.
    DatabaseModule.forRoot('kinship-worker'),
  ],
  providers: [Clock],
})
export class WorkerModule {}
