import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { appConfig } from '@kinship/common';
import { createApiApp } from './api.app';
import { printOpenApiDocument } from './openapi';

async function main(): Promise<void> {
  const app = await createApiApp();
  const { port, host } = appConfig();
  await app.listen({ port, host });
  new Logger('Kinship').log(`Kinship api listening on http://${host}:${port}`);
}

// `node main.js openapi` prints the OpenAPI document (npm run openapi writes openapi.json).
const run = process.argv[2] === 'openapi' ? printOpenApiDocument : main;

run().catch((error: unknown) => {
  // Configuration errors name the variable; print them plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
