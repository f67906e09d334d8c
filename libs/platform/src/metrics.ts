import { CallHandler, Controller, ExecutionContext, Get, Injectable, NestInterceptor, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectMetric, PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { Observable } from 'rxjs';
import { Public } from '@fangxun/common';

export const HTTP_DURATION = 'fangxun_http_request_duration_seconds';

/** Prometheus scrape endpoint (/metrics), open like /health: it holds counts, not data. */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  override async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}

/** Times every HTTP request by route template (not raw URL, so ids do not explode cardinality). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(@InjectMetric(HTTP_DURATION) private readonly histogram: Histogram<string>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const end = this.histogram.startTimer({ method: req.method, route: (req.route as { path?: string })?.path ?? 'unknown' });
    // The status is read when the response is written, after the error filter has set it.
    res.once('finish', () => end({ status: String(res.statusCode) }));
    return next.handle();
  }
}
