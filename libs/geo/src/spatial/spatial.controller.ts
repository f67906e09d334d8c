import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CapacityCheckService } from './capacity-check.service';
import { AreaDto } from './dto/area.dto';
import { CapacityCheckDto, CapacityCheckQuery } from './dto/capacity-check.dto';
import { IntersectingRequestDto, IntersectingResultDto } from './dto/intersecting.dto';
import { InvariantsDto, InvariantsQuery } from './dto/invariants.dto';
import { NearestSheltersDto, NearestSheltersQuery } from './dto/nearest-shelters.dto';
import { WhoMustAnswerDto } from './dto/who-must-answer.dto';
import { IntersectingService } from './intersecting.service';
import { InvariantsService } from './invariants.service';
import { NearestSheltersService } from './nearest-shelters.service';
import { WhoMustAnswerService } from './who-must-answer.service';

/**
 * The questions the command room asks of the map. Areas are POSTed (a polygon does not fit a
 * query string) but nothing is written: 200, not 201. A town or village user's answers are
 * limited to their division: named divisions must lie in it (403), a drawn area wholly
 * outside it is refused (403), one partly outside is answered for the inside part and the
 * answer says so (`scope.clipped`).
 */
@ApiTags('geo: spatial queries')
@ApiBearerAuth()
@Controller('spatial')
export class SpatialController {
  constructor(
    private readonly intersecting: IntersectingService,
    private readonly whoMustAnswer: WhoMustAnswerService,
    private readonly nearest: NearestSheltersService,
    private readonly capacity: CapacityCheckService,
    private readonly invariants: InvariantsService,
  ) {}

  @Post('intersecting')
  @HttpCode(200)
  @Roles(ALL_ROLES)
  @ApiConsumes('application/json', 'application/geo+json')
  @ApiOperation({ summary: 'Risk objects and divisions meeting an area (polygon, circle or division codes), with how each relates to it' })
  @ApiOkResponse({ type: IntersectingResultDto })
  @ApiErrors(400, 413, 422)
  findIntersecting(@CurrentPrincipal() p: Principal, @Body() body: IntersectingRequestDto): Promise<IntersectingResultDto> {
    return this.intersecting.find(p, body);
  }

  @Post('who-must-answer')
  @HttpCode(200)
  @Roles(ALL_ROLES)
  @ApiConsumes('application/json', 'application/geo+json')
  @ApiOperation({ summary: 'Everyone who must answer for an area, once per person, with every reason; inactive holders listed apart' })
  @ApiOkResponse({ type: WhoMustAnswerDto })
  @ApiErrors(400, 413, 422)
  findWhoMustAnswer(@CurrentPrincipal() p: Principal, @Body() body: AreaDto): Promise<WhoMustAnswerDto> {
    return this.whoMustAnswer.resolve(body, p);
  }

  @Get('nearest-shelters')
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'Nearest open shelters with free places to a risk object or a point (geodesic metres)' })
  @ApiOkResponse({ type: NearestSheltersDto })
  @ApiErrors(400, 404)
  findNearestShelters(@CurrentPrincipal() p: Principal, @Query() q: NearestSheltersQuery): Promise<NearestSheltersDto> {
    return this.nearest.find(p, q);
  }

  @Get('capacity-check')
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'Pre-season check: threatened people against shelter places per town or village, and in all' })
  @ApiOkResponse({ type: CapacityCheckDto })
  @ApiErrors(400, 404)
  checkCapacity(@CurrentPrincipal() p: Principal, @Query() q: CapacityCheckQuery): Promise<CapacityCheckDto> {
    return this.capacity.check(p, q);
  }

  @Get('invariants')
  @Roles(ALL_ROLES)
  @ApiOperation({
    summary:
      'Registry invariants: objects nobody can be called for, no backup, shelters without manager, zones without indicators or shelter',
  })
  @ApiOkResponse({ type: InvariantsDto })
  @ApiErrors(400, 404)
  reportInvariants(@CurrentPrincipal() p: Principal, @Query() q: InvariantsQuery): Promise<InvariantsDto> {
    return this.invariants.report(p, q);
  }
}
