import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Role, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { PublicContactService } from './public-contact.service';
import { contactFileError } from './public-contact-file';
import { PublicContactFileInterceptor } from './public-contact-file.interceptor';
import {
  ContactDto,
  ContactImportReportDto,
  ContactPageDto,
  CreatedPublicWarningDto,
  CreatePublicWarningDto,
  ImportContactsQuery,
  ListContactsQuery,
  ListPublicWarningsQuery,
  PublicWarningDto,
  PublicWarningPageDto,
} from './public-warning.dto';
import { PublicWarningService } from './public-warning.service';

const CONTACT_READERS: readonly Role[] = [...REGISTRY_WRITERS, 'auditor'];
const CAMPAIGN_WRITERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin'];
const CAMPAIGN_READERS: readonly Role[] = [...CAMPAIGN_WRITERS, 'auditor'];

const FILE_HELP =
  'CSV (UTF-8, GBK/GB18030 or UTF-16) or XLSX. Header row with 姓名|name and 手机|phone; optional 类别|category ' +
  '(resident 居民, vulnerable 弱势群体, tourist 游客, worker 务工人员, other 其他; blank = resident) and 备注|note.';

@ApiTags('public warnings: contact lists')
@ApiBearerAuth()
@Controller('risk-objects/:code/contacts')
export class PublicContactController {
  constructor(private readonly contacts: PublicContactService) {}

  @Post('import')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @UseInterceptors(PublicContactFileInterceptor)
  @ApiOperation({
    summary: 'Import the people a risk object’s warning must reach',
    description:
      'Rows are checked one by one; good rows are upserted by number in one transaction, bad rows come back with ' +
      'line, field and problem. Importing the same file twice changes nothing.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: FILE_HELP } } },
  })
  @ApiOkResponse({ type: ContactImportReportDto })
  @ApiErrors(400, 403, 404, 413)
  import(
    @CurrentPrincipal() p: Principal,
    @Param('code') code: string,
    @Query() q: ImportContactsQuery,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<ContactImportReportDto> {
    if (!file) throw contactFileError('attach the CSV or XLSX as the multipart/form-data field "file"');
    return this.contacts.import(p, code, file.buffer, q.dryRun ?? false);
  }

  @Get()
  @Roles(CONTACT_READERS)
  @ApiOperation({ summary: 'Contacts of a risk object by name, numbers masked to the last four digits' })
  @ApiOkResponse({ type: ContactPageDto })
  @ApiErrors(400, 403, 404)
  list(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Query() q: ListContactsQuery): Promise<Page<ContactDto>> {
    return this.contacts.list(p, code, q);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiNoContentResponse()
  @ApiErrors(403, 404)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Param('id') id: string): Promise<void> {
    return this.contacts.remove(p, code, id);
  }
}

@ApiTags('public warnings')
@ApiBearerAuth()
@Controller('public-warnings')
export class PublicWarningController {
  constructor(private readonly warnings: PublicWarningService) {}

  @Post()
  @Roles(CAMPAIGN_WRITERS)
  @ApiOperation({
    summary: 'Text everyone listed for these risk objects (一键直达)',
    description:
      'One SMS (template public_warning) per distinct number of the objects’ contact lists and, with ' +
      'includeVulnerableHelpers, of the helpers of their vulnerable people; the campaign and its messages commit ' +
      'together. Numbers at their daily cap are counted as capped. The same requestKey returns the first campaign.',
  })
  @ApiCreatedResponse({ type: CreatedPublicWarningDto })
  @ApiErrors(400, 403, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreatePublicWarningDto): Promise<CreatedPublicWarningDto> {
    return this.warnings.create(p, dto);
  }

  @Get()
  @Roles(CAMPAIGN_READERS)
  @ApiOperation({ summary: 'Public warnings, newest first (a town admin: those that reached his town)' })
  @ApiOkResponse({ type: PublicWarningPageDto })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListPublicWarningsQuery): Promise<Page<PublicWarningDto>> {
    return this.warnings.list(p, q);
  }

  @Get(':id')
  @Roles(CAMPAIGN_READERS)
  @ApiOperation({ summary: 'One public warning with its delivery counts by SMS status' })
  @ApiOkResponse({ type: PublicWarningDto })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<PublicWarningDto> {
    return this.warnings.get(p, id);
  }
}
