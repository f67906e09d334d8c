import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, Roles, validationError } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { ArealBodyDto, ArealQuery, ArealRainfallDto, SinceQuery, StationSumsDto, StationSumsQuery, StationTotalDto } from './rainfall.dto';
import { RainfallService } from './rainfall.service';

@ApiTags('feeds: rainfall')
@ApiBearerAuth()
@Controller('rainfall')
export class RainfallController {
  constructor(private readonly rainfall: RainfallService) {}

  @Get('stations')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({
    summary: 'Rolling sums per rain station over windows (hours) ending at `at`; a reading counts when observed in (at − window, at]',
  })
  @ApiOkResponse({ type: [StationSumsDto] })
  @ApiErrors(400, 403, 404)
  stations(@CurrentPrincipal() p: Principal, @Query() q: StationSumsQuery): Promise<StationSumsDto[]> {
    return this.rainfall.stationSums(p, q);
  }

  @Get('stations/:code/since')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({ summary: 'Total of one station since a chosen start (season, event)' })
  @ApiOkResponse({ type: StationTotalDto })
  @ApiErrors(400, 404)
  since(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Query() q: SinceQuery): Promise<StationTotalDto> {
    return this.rainfall.since(p, code, q);
  }

  @Get('areal/towns')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({ summary: '面雨量 of every town in your area: arithmetic mean and Thiessen-weighted, with the maximum' })
  @ApiOkResponse({ type: [ArealRainfallDto] })
  @ApiErrors(400)
  towns(@CurrentPrincipal() p: Principal, @Query() q: ArealQuery): Promise<ArealRainfallDto[]> {
    return this.rainfall.arealTowns(p, this.rainfall.period(q), { excludeSuspect: q.excludeSuspect });
  }

  @Get('areal/divisions/:code')
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({ summary: '面雨量 over a division’s boundary' })
  @ApiOkResponse({ type: ArealRainfallDto })
  @ApiErrors(400, 403, 404, 422)
  division(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Query() q: ArealQuery): Promise<ArealRainfallDto> {
    return this.rainfall.arealForDivision(p, code, this.rainfall.period(q), { excludeSuspect: q.excludeSuspect });
  }

  @Post('areal')
  @HttpCode(200)
  @Roles(ALL_ROLES, 'feeds:read')
  @ApiOperation({ summary: '面雨量 over any area: a GeoJSON Polygon/MultiPolygon (a watershed) or a division code' })
  @ApiOkResponse({ type: ArealRainfallDto })
  @ApiErrors(400, 403, 404, 422)
  area(@CurrentPrincipal() p: Principal, @Body() b: ArealBodyDto): Promise<ArealRainfallDto> {
    const period = this.rainfall.period(b);
    const opts = { excludeSuspect: b.excludeSuspect };
    if (b.divisionCode && b.area) throw validationError('area', 'give either area or divisionCode, not both');
    if (b.divisionCode) return this.rainfall.arealForDivision(p, b.divisionCode, period, opts);
    if (!b.area) throw validationError('area', 'give a GeoJSON polygon as area, or a divisionCode');
    return this.rainfall.arealForArea(b.area, period, opts);
  }
}
