import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import type { PlatformRole } from '../roles';
import { TokenService } from '../services/token.service';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

/**
 * The one guard of every HTTP route (registered globally): authenticated unless @Public(),
 * and the caller's platform role checked against @Roles().
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);

    if (isPublic && token === undefined) return true;
    request.user = await this.tokens.authenticate(token);

    const roles = this.reflector.getAllAndOverride<PlatformRole[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !allows(roles, request.user.role)) {
      // Staff whose sign-in had no second factor hold the role but may not use it yet.
      const held = request.user.heldRole;
      if (held && allows(roles, held)) {
        throw new IdentityException(
          IdentityErrorCode.TwoFactorRequired,
          'Turn on two-factor sign-in (POST /auth/2fa/setup, then /auth/2fa/enable) and sign in again with a code.',
        );
      }
      throw new IdentityException(
        IdentityErrorCode.RoleRequired,
        `This needs one of the roles: ${[...roles, 'admin'].join(', ')}.`,
      );
    }
    return true;
  }
}

const allows = (roles: PlatformRole[], role: PlatformRole) =>
  role === 'admin' || roles.includes(role);

/** The token of an `Authorization: Bearer …` header; '' when the header is malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}
