import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { AllErrorsFilter } from './all-errors.filter';
import { EarlyBodyLimit } from './early-body-limit';
import { HealthController } from './health.controller';
import { JsonBodyMiddleware } from './json-body.middleware';
import { loggerParams } from './logging';
import { HTTP_DURATION, HttpMetricsInterceptor, MetricsController } from './metrics';
import { RawBodyModule } from './raw-body-routes';
import { createValidationPipe } from './validation.pipe';

/**
 * What every Fangxun process has: the database, JSON logs, the error filter and validation
 * pipe, the JSON body guard (and the raw bodies modules register in RawBodyRoutes), health and
 * readiness, Prometheus metrics, the clock.
 * ConfigModule.forRoot() must be imported next to it.
 */
@Module({
  imports: [
    DatabaseModule,
    RawBodyModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
    TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
    PrometheusModule.register({ controller: MetricsController, path: '/metrics' }),
  ],
  controllers: [HealthController],
  providers: [
    Clock,
    EarlyBodyLimit,
    { provide: APP_FILTER, useClass: AllErrorsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
    makeHistogramProvider({
      name: HTTP_DURATION,
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  ],
  exports: [Clock],
})
export class PlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
