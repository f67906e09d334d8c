import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import {
  CheckInDto,
  CheckOutDto,
  CreateShelterDto,
  ListSheltersQuery,
  PlacesDto,
  ShelterDto,
  ShelterPageDto,
  UpdateShelterDto,
} from './shelter.dto';
import { ShelterService } from './shelter.service';

@ApiTags('geo: shelters')
@ApiBearerAuth()
@Controller('shelters')
export class ShelterController {
  constructor(
    private readonly shelters: ShelterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: ShelterPageDto })
  @ApiErrors(400, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListSheltersQuery): Promise<Page<ShelterDto>> {
    return this.shelters.list(p, q, this.config.registry.pageSizeDefault);
  }

  @Get(':code')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<ShelterDto> {
    return this.shelters.get(p, code);
  }

  @Post()
  @Roles(REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateShelterDto): Promise<ShelterDto> {
    return this.shelters.create(p, dto);
  }

  @Patch(':code')
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Change a shelter; capacity cannot go below occupancy + reserved (409 naming capacity)' })
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409, 422)
  update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: UpdateShelterDto): Promise<ShelterDto> {
    return this.shelters.update(p, code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Delete an empty shelter that no risk object is assigned to' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<void> {
    return this.shelters.remove(p, code);
  }

  @Post(':code/check-in')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'People arrive (atomic; 409 SHELTER_FULL with the free places, or SHELTER_CLOSED)' })
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409)
  checkIn(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: CheckInDto): Promise<ShelterDto> {
    return this.shelters.checkInFor(p, code, dto);
  }

  @Post(':code/check-out')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'People leave (409 SHELTER_COUNT_WOULD_GO_NEGATIVE when fewer are checked in)' })
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409)
  checkOut(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: CheckOutDto): Promise<ShelterDto> {
    return this.shelters.checkOutFor(p, code, dto.people);
  }

  @Post(':code/reserve')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Hold places for people on their way (same limits as check-in)' })
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409)
  reserve(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: PlacesDto): Promise<ShelterDto> {
    return this.shelters.reserveFor(p, code, dto.places);
  }

  @Post(':code/release')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Give held places back' })
  @ApiOkResponse({ type: ShelterDto })
  @ApiErrors(400, 404, 409)
  release(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: PlacesDto): Promise<ShelterDto> {
    return this.shelters.releaseFor(p, code, dto.places);
  }
}
