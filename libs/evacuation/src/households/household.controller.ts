import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Page, Principal, Roles } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ApiErrors } from '@fangxun/platform';
import { HouseholdDto, HouseholdPageDto, ListHouseholdsQuery } from './household.dto';
import { HouseholdService } from './household.service';

@ApiTags('evacuation: households')
@ApiBearerAuth()
@Controller('evacuation/households')
export class HouseholdController {
  constructor(
    private readonly households: HouseholdService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'Households (一户一策) in your area, by code; phones masked for auditors' })
  @ApiOkResponse({ type: HouseholdPageDto })
  @ApiErrors(400, 403, 404)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListHouseholdsQuery): Promise<Page<HouseholdDto>> {
    return this.households.list(p, q, this.config.registry.pageSizeDefault);
  }

  @Get(':code')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ type: HouseholdDto })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('code') code: string): Promise<HouseholdDto> {
    return this.households.get(p, code);
  }
}
