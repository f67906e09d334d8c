import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, AppError, CurrentPrincipal, Page, Principal, Roles } from '@fangxun/common';
import { ApiBodyForms, ApiErrors, XML_CONTENT_TYPE } from '@fangxun/platform';
import { capInvalid } from '../cap/cap.errors';
import { ListWarningsQuery, WarningDto, WarningPageDto } from './warning.dto';
import { WarningErrors } from './warning.errors';
import { WarningService } from './warning.service';
import { CAP_BODY_FORMS } from './warning-body.schema';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new AppError(WarningErrors.NotFound, 'warning id is not a UUID', [{ field: 'id', problem: 'must be a UUID' }]),
});

const CAP_XML = 'application/cap+xml; charset=utf-8';
/** The route's path; FeedsModule registers POST on it as a raw XML body route (RawBodyRoutes). */
export const WARNINGS_PATH = 'warnings';

@ApiTags('feeds: warnings')
@ApiBearerAuth()
@Controller(WARNINGS_PATH)
export class WarningController {
  constructor(private readonly warnings: WarningService) {}

  @Post()
  @Roles(['commander', 'duty_officer'], 'feeds:write')
  @ApiSecurity('api-key')
  @ApiConsumes('application/cap+xml', 'application/xml', 'text/xml', 'application/json')
  @ApiBody({ description: 'a CAP 1.2 alert as XML, or its JSON form (the same field names as the CAP elements)' })
  @ApiBodyForms(CAP_BODY_FORMS)
  @ApiCreatedResponse({ type: WarningDto, description: 'a new warning' })
  @ApiOkResponse({ type: WarningDto, description: 'this identifier was already received: the existing warning' })
  @ApiErrors(400, 403, 413, 415, 422)
  async ingest(
    @CurrentPrincipal() p: Principal,
    @Headers('content-type') type: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WarningDto> {
    let result;
    if (XML_CONTENT_TYPE.test(type ?? '')) {
      if (!Buffer.isBuffer(body) || !body.length) throw capInvalid('(body)', 'an XML body is required');
      result = await this.warnings.ingestXml(p, body);
    } else {
      result = await this.warnings.ingestJson(p, body);
    }
    res.status(result.created ? 201 : 200);
    return result.notices.length ? { ...result.warning, ingestWarnings: result.notices } : result.warning;
  }

  @Get()
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: WarningPageDto })
  @ApiErrors(400, 403, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListWarningsQuery): Promise<Page<WarningDto>> {
    return this.warnings.list(p, q);
  }

  @Get(':id')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: WarningDto, description: 'with its areas as GeoJSON' })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<WarningDto> {
    return this.warnings.get(p, id);
  }

  @Get(':id/cap')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiSecurity('api-key')
  @ApiProduces('application/cap+xml')
  @ApiOkResponse({ description: 'the warning as a CAP 1.2 alert', schema: { type: 'string' } })
  @ApiErrors(403, 404)
  async cap(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const xml = await this.warnings.capXml(p, id);
    // Set here, not with @Header: that would also label a 404's JSON body as XML.
    res.type(CAP_XML);
    return xml;
  }

  @Get(':id/original')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiSecurity('api-key')
  @ApiProduces('application/cap+xml')
  @ApiOkResponse({
    description:
      'the CAP XML exactly as received (decoded to text, served as UTF-8: the charset of the content type overrides the encoding its XML declaration names)',
    schema: { type: 'string' },
  })
  @ApiErrors(403, 404)
  async original(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const xml = await this.warnings.originalXml(p, id);
    res.type(CAP_XML);
    return xml;
  }
}
