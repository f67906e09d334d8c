import { Controller, HttpCode, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors, SingleFileInterceptor, UploadedImport } from '@fangxun/platform';
import { fileProblem } from './household-columns';
import { HouseholdImportReportDto, ImportHouseholdsQuery } from './household-import.dto';
import { HouseholdImportService } from './household-import.service';

const FILE_HELP =
  'CSV (UTF-8, GBK/GB18030 or UTF-16) or XLSX. Header row with: code|户编号, riskObjectCode|风险对象编号, headName|户主, ' +
  'headPhone|户主电话, members|人数; optional responsibleMobile|包户责任人手机, shelterCode|安置点编号, routeNote|转移路线, ' +
  'address|住址, vulnerable|特殊人群 ("姓名/类别/帮扶人/帮扶人电话[/需求]" separated by ";").';

const FileInterceptor = SingleFileInterceptor({
  maxBytes: (c) => c.http.uploadMaxBytes,
  tooLarge: (max) => fileProblem(`larger than ${max} bytes, the most one upload may be`),
  invalid: fileProblem,
});

@ApiTags('evacuation: households')
@ApiBearerAuth()
@Controller('evacuation/households')
export class HouseholdImportController {
  constructor(private readonly imports: HouseholdImportService) {}

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @UseInterceptors(FileInterceptor)
  @ApiOperation({
    summary: 'Bulk import of households (一户一策)',
    description:
      'Rows are checked one by one; good rows are upserted by household code in one transaction, bad rows come back ' +
      'with line, field and problem. Importing the same file twice changes nothing. Rows outside your area are refused.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: FILE_HELP } } },
  })
  @ApiOkResponse({ type: HouseholdImportReportDto })
  @ApiErrors(400, 409, 413, 415)
  import(
    @CurrentPrincipal() p: Principal,
    @Query() query: ImportHouseholdsQuery,
    @UploadedFile() file: UploadedImport | undefined,
  ): Promise<HouseholdImportReportDto> {
    if (!file) throw fileProblem('attach the CSV or XLSX as the multipart/form-data field "file"');
    return this.imports.import(p, file.buffer, query.dryRun ?? false);
  }
}
