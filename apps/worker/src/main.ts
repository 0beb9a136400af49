import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { appConfig, createLogger, PinoNestLogger } from '@kinship/common';
import { WorkerModule } from './worker.module';

/**
 * Background jobs (research export builds) when REDIS_URL is set. Without Redis the api
 * runs the same jobs in-process, and this worker has nothing to consume.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoNestLogger(createLogger(appConfig().logLevel)),
  });
  app.enableShutdownHooks();
  new Logger('Kinship').log('worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
