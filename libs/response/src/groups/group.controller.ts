import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@fangxun/common';
import { CurrentPrincipal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { RESPONSE_READERS } from '../incidents/incident.controller';
import { HQ_WRITERS } from '../steps/step.controller';
import { GroupDto, StaffGroupDto, TierDto } from './group.dto';
import { GroupService } from './group.service';

@ApiTags('response (1618)')
@ApiBearerAuth()
@Controller('response/incidents/:id')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Get('tiers')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [TierDto], description: 'emergency HQ ("1+6"), special HQ, on-site HQ ("1+8"), each group with its people' })
  @ApiErrors(403, 404)
  tiers(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TierDto[]> {
    return this.groups.tiers(p, id);
  }

  @Post('groups/:code/members')
  @Roles(HQ_WRITERS)
  @ApiCreatedResponse({
    type: GroupDto,
    description: 'holders or users staff the group for this incident (a person already in it stays once)',
  })
  @ApiErrors(400, 403, 404, 409, 422)
  staff(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() dto: StaffGroupDto,
  ): Promise<GroupDto> {
    return this.groups.staff(p, id, code.slice(0, 40), dto);
  }

  @Delete('groups/:code/members/:memberId')
  @Roles(HQ_WRITERS)
  @ApiOkResponse({ type: GroupDto })
  @ApiErrors(403, 404)
  unstaff(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Param('memberId') memberId: string,
  ): Promise<GroupDto> {
    return this.groups.unstaff(p, id, code.slice(0, 40), /^\d{1,18}$/.test(memberId) ? memberId : '0');
  }
}
