import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Clock } from '@fangxun/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { CorrelationInterceptor } from './correlation.interceptor';

/**
 * The audit log's writer, for every library that changes state (import it, inject AuditService,
 * append inside the change's transaction). Also runs each handler in its correlation id.
 */
@Module({
  providers: [Clock, AuditRepository, AuditService, { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
