import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { appConfig } from '@kinship/common';
import { createApiApp } from './api.app';

async function main(): Promise<void> {
  const app = await createApiApp();
  const { port, host } = appConfig();
  await app.listen({ port, host });
  new Logger('Kinship').log(`Kinship api listening on http://${host}:${port}`);
}

main().catch((error: unknown) => {
  // Configuration errors name the variable; print them plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
