import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  answerClientError,
  answerFrameworkError,
  appConfig,
  createValidationPipe,
  loggerOptions,
  PinoNestLogger,
  ProblemFilter,
  requestId,
} from '@kinship/common';
import { ChatIoAdapter, chatConfig } from '@kinship/chat';
import { AppModule } from './app.module';

export const API_PREFIX = 'api/v1';

/**
 * Builds the api application exactly as production runs it: main.ts listens on it, the e2e
 * suites (libs/testing) and the OpenAPI export use the same function.
 */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const config = appConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Fastify's own pino logger writes the access log, with a request id per request.
    logger: loggerOptions(config.logLevel),
    genReqId: requestId,
    // socket.io and long polls close themselves; keep-alive idle sockets are not held forever.
    keepAliveTimeout: 65_000,
    clientErrorHandler: answerClientError,
    // Typed loosely in common (no Fastify types there); it only sets code, headers and body.
    frameworkErrors: answerFrameworkError as never,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    // Fastify's built-in JSON parser only: the API takes JSON, never forms (Nest would add a
    // urlencoded parser), so any other media type is a 415.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log as never));
  app.useWebSocketAdapter(
    new ChatIoAdapter(app, {
      redisUrl: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      maxPayloadBytes: chatConfig().maxPayloadBytes,
      corsOrigins: config.corsOrigins,
    }),
  );
  app.enableShutdownHooks();
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false });

  await app.register(helmet, {
    // The OpenAPI UI needs its inline styles; nothing else of ours serves HTML.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  // No route reads plain text either: without Fastify's default text/plain parser such a body is a
  // 415 instead of a string that reaches validation. Fastify's own errors (body parsing, size limit,
  // media type) need no handler of ours: Nest installs Fastify's error handler at init and routes
  // them, as HttpExceptions, through the global ProblemFilter (test/e2e/platform.e2e-spec.ts).
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onSend', async (request, reply, payload) => {
    // Answers may hold a patient's words or a token: no shared or browser cache keeps them.
    if (!request.url.startsWith('/api/docs')) reply.header('Cache-Control', 'no-store');
    reply.header('X-Request-Id', request.id);
    return payload;
  });

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Kinship API',
  });
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kinship API')
    .setDescription(
      'Patient peer-support communities: condition groups, chat, moderation and research. ' +
        'Errors are RFC 9457 problem documents (application/problem+json). While the database ' +
        'cannot be reached, any operation that needs it answers 503 service-unavailable with ' +
        'Retry-After.',
    )
    .setVersion(appConfig().version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}
