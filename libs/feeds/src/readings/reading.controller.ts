import { Body, Controller, Get, HttpCode, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, AppError, CommonErrors, CurrentPrincipal, Principal, Role, Roles, validationError } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { IngestReportDto, ListReadingsQuery, MarkReadingQualityDto, PushReadingsDto, ReadingDto, ReadingQualityDto } from './reading.dto';
import type { RawReading } from './reading.types';
import { readReadingsFile } from './reading-csv';
import { ReadingFileInterceptor } from './reading-file.interceptor';
import { ReadingIngestService } from './reading-ingest.service';
import { ReadingQualityService } from './reading-quality.service';
import { ReadingQueryService } from './reading-query.service';

/** People who may back-fill by hand; machines use an API key with feeds:write. */
const BACKFILL_ROLES: readonly Role[] = ['commander', 'duty_officer'];

@ApiTags('feeds: readings')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('readings')
export class ReadingController {
  constructor(
    private readonly ingest: ReadingIngestService,
    private readonly queries: ReadingQueryService,
    private readonly quality: ReadingQualityService,
  ) {}

  @Post('quality')
  @HttpCode(200)
  @Roles(BACKFILL_ROLES)
  @ApiOperation({
    summary: 'Mark one stored reading suspect (or ok again) by hand',
    description:
      'A reason is required for suspect. An ok reading marked suspect is withdrawn as evidence: a warning that stood on ' +
      'it is re-judged at once, without the hysteresis hold (lowered to what the clean readings support, or lifted).',
  })
  @ApiOkResponse({ type: ReadingQualityDto })
  @ApiErrors(400, 404)
  markQuality(@CurrentPrincipal() p: Principal, @Body() body: MarkReadingQualityDto): Promise<ReadingQualityDto> {
    return this.quality.mark(p, body);
  }

  @Post()
  @HttpCode(200)
  @Roles(BACKFILL_ROLES, 'feeds:write')
  @ApiOperation({
    summary: 'Push a batch of gauge readings',
    description:
      'Body: `{"readings": [...]}` or a bare array. Send large batches as `application/vnd.fangxun.readings+json` ' +
      '(limit feeds.readingsBodyLimitBytes instead of the 2 MiB JSON limit). Good rows are kept, bad rows come back ' +
      'with index, field and problem; re-sending a batch changes nothing; a new value for the same station and time ' +
      'is a correction (the old value is kept as a revision).',
  })
  @ApiConsumes('application/json', 'application/vnd.fangxun.readings+json')
  @ApiBody({ type: PushReadingsDto })
  @ApiOkResponse({ type: IngestReportDto })
  @ApiErrors(400, 413, 415)
  push(@Body() body: unknown): Promise<IngestReportDto> {
    const rows = Array.isArray(body) ? body : (body as { readings?: unknown } | null)?.readings;
    if (!Array.isArray(rows)) throw validationError('readings', 'must be an array of readings');
    return this.ingest.ingest(rows as RawReading[], 'push');
  }

  @Post('import')
  @HttpCode(200)
  @Roles(BACKFILL_ROLES, 'feeds:write')
  @UseInterceptors(ReadingFileInterceptor)
  @ApiOperation({
    summary: 'Back-fill readings from a CSV file',
    description:
      'Columns stationCode,observedAt,value[,unit,intervalMinutes]; CSV (UTF-8, GBK or UTF-16) or XLSX. Same rules and report as the push; errors also carry the file line.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: IngestReportDto })
  @ApiErrors(400, 413)
  async importCsv(@UploadedFile() file: { buffer: Buffer } | undefined): Promise<IngestReportDto> {
    if (!file)
      throw new AppError(CommonErrors.Validation, 'attach the CSV as the multipart field "file"', [{ field: 'file', problem: 'missing' }]);
    const csv = await readReadingsFile(file.buffer);
    const report = await this.ingest.ingest(csv.rows, 'csv');
    return { ...report, errors: report.errors.map((e) => ({ ...e, line: csv.lines[e.index] })) };
  }

  @Get()
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({ summary: 'Stored readings of one station in (from, to], suspect ones included and marked' })
  @ApiOkResponse({ type: [ReadingDto] })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListReadingsQuery): Promise<ReadingDto[]> {
    return this.queries.list(p, q);
  }
}
