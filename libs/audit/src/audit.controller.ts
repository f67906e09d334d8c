import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Page, Roles } from '@fangxun/common';
import { AuditPageDto, AuditQueryDto, AuditRowDto, ChainReportDto } from './audit.dto';
import { AuditQueryService } from './audit-query.service';
import { AuditVerifyService, ChainReport } from './audit-verify.service';

const AUDITORS = ['auditor', 'commander'] as const;

/**
 * The common error body by name: libs/platform declares ErrorBodyDto, and audit may not import
 * platform (every library imports audit), so the schema is referenced rather than imported.
 */
function ErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...[...statuses, 401, 403, 500].map((status) =>
      ApiResponse({ status, description: 'common error body', schema: { $ref: '#/components/schemas/ErrorBodyDto' } }),
    ),
  );
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles(AUDITORS)
export class AuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly verifier: AuditVerifyService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit rows by incident, actor, entity and id, and time; newest first, cursor-paginated (auditor, commander)' })
  @ApiOkResponse({ type: AuditPageDto })
  @ErrorResponses(400)
  find(@Query() q: AuditQueryDto): Promise<Page<AuditRowDto>> {
    return this.queries.find(q);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Walk the hash chain up to the current head and name the first row that does not check out' })
  @ApiOkResponse({ type: ChainReportDto })
  @ErrorResponses()
  verify(): Promise<ChainReport> {
    return this.verifier.verify();
  }
}
