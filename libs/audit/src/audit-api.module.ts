import { Module } from '@nestjs/common';
import { Clock } from '@fangxun/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditQueryService } from './audit-query.service';
import { AuditVerifyService } from './audit-verify.service';

/** GET /audit and /audit/verify, for the API process only. */
@Module({
  controllers: [AuditController],
  providers: [Clock, AuditRepository, AuditQueryService, AuditVerifyService],
})
export class AuditApiModule {}
