import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser, PlatformRole } from '../roles';

export const PUBLIC_KEY = 'kinship:public';
export const ROLES_KEY = 'kinship:roles';

/**
 * A route anyone may call. A token, when sent, is still verified (a bad one is a 401), so that
 * public routes can show a signed-in member more.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Platform roles allowed on a route; admins are always allowed. */
export const Roles = (...roles: PlatformRole[]) => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/** The authenticated caller (undefined on a public route called without a token). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
});
