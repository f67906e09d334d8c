import { randomUUID } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { Correlation } from './correlation';

/**
 * Runs every handler inside its correlation id: for HTTP the request id nestjs-pino assigned
 * (`req.id`, from X-Correlation-Id or made up; the same id the logs and error bodies carry),
 * for socket messages a fresh one. Nest binds the handler to the async context in which
 * `next.handle()` is called, so services reach it through AsyncLocalStorage.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const id = ctx.getType() === 'http' ? ctx.switchToHttp().getRequest<{ id?: unknown }>().id : undefined;
    return Correlation.run(typeof id === 'string' && id ? id : randomUUID(), () => next.handle());
  }
}
