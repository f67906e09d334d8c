import { Controller, HttpCode, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { HolderFileInterceptor, UploadedImport } from './holder-file.interceptor';
import { HolderImportService } from './holder-import.service';
import { ImportHoldersQuery, ImportReportDto } from './import.dto';
import { fileError } from './import-errors';

const FILE_HELP =
  'CSV (UTF-8, GBK/GB18030 or UTF-16) or XLSX. Header row with: name|姓名, role|角色|职务, divisionCode|区划代码, ' +
  'mobile|手机; optional otherPhones|其他电话, superiorMobile|上级手机, backupMobile|AB岗手机, appointedYear|年度, active|在岗.';

@ApiTags('registry: responsibility holders')
@ApiBearerAuth()
@Controller('holders')
export class HolderImportController {
  constructor(private readonly imports: HolderImportService) {}

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @UseInterceptors(HolderFileInterceptor)
  @ApiOperation({
    summary: 'Bulk import of responsibility holders',
    description:
      'Rows are checked one by one with the rules of single writes; good rows are upserted by appointment ' +
      '(division, role, mobile) in one transaction, bad rows come back with line, field and problem. ' +
      'Importing the same file twice changes nothing.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: FILE_HELP } } },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiErrors(400, 409, 413, 415)
  import(
    @CurrentPrincipal() p: Principal,
    @Query() query: ImportHoldersQuery,
    @UploadedFile() file: UploadedImport | undefined,
  ): Promise<ImportReportDto> {
    if (!file) throw fileError('attach the CSV or XLSX as the multipart/form-data field "file"');
    return this.imports.import(p, file.buffer, query.dryRun ?? false);
  }
}
