import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PLATFORM_VERSION, Clock } from '@kinship/common';
import { DatabaseHealth } from '@kinship/database';
import { Public } from '@kinship/identity';

const startedAt = new Date();

/** Outside the /api/v1 prefix, for load balancers and orchestrators. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly clock: Clock,
  ) {}

  /** Readiness: 200 while the database answers, 503 while it does not (the process stays up). */
  @Get()
  @ApiOkResponse({ description: '{ status: "ok", database, version, uptimeSeconds }' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.database.ping();
    if (!database.up) reply.status(503);
    return {
      status: database.up ? 'ok' : 'unavailable',
      database: database.up ? { status: 'up', latencyMs: database.latencyMs } : { status: 'down' },
      version: PLATFORM_VERSION,
      uptimeSeconds: Math.round((this.clock.now().getTime() - startedAt.getTime()) / 1000),
    };
  }

  /** Liveness: the process answers, whatever the database does. */
  @Get('live')
  @ApiOkResponse({ description: '{ status: "ok" }' })
  live() {
    return { status: 'ok' };
  }
}
