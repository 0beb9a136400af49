import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '@kinship/identity';
import { EngagementRecorder } from './engagement.recorder';

/** Records `visit` for every authenticated request; the recorder keeps one per member and day. */
@Injectable()
export class VisitInterceptor implements NestInterceptor {
  constructor(private readonly recorder: EngagementRecorder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
      if (user) this.recorder.visit(user.id);
    }
    return next.handle();
  }
}
