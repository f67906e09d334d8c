import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal, Role } from '@fangxun/common';
import { CurrentPrincipal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { RESPONSE_READERS } from '../incidents/incident.controller';
import { HQ_WRITERS } from '../steps/step.controller';
import { ControlPointDto, PlanActivationDto, PlanTemplateDto, SetControlPointDto } from './plan.dto';
import { PlanService } from './plan.service';

const POINT_WRITERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin'];

@ApiTags('response (1618)')
@ApiBearerAuth()
@Controller('response')
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  @Get('plans')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [PlanTemplateDto], description: 'the special plans (专项救援指挥工作方案) a response can activate' })
  @ApiErrors()
  templates(): PlanTemplateDto[] {
    return this.plans.templates();
  }

  @Post('incidents/:id/plans/:code/activate')
  @HttpCode(200)
  @Roles(HQ_WRITERS)
  @ApiOkResponse({ type: PlanActivationDto, description: 'its groups, steps and control points are added to the incident' })
  @ApiErrors(403, 404, 409)
  activate(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
  ): Promise<PlanActivationDto> {
    return this.plans.activate(p, id, code.slice(0, 40));
  }

  @Get('incidents/:id/control-points')
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [ControlPointDto], description: "the activated plans' control points (a town's own only for a town)" })
  @ApiErrors(403, 404)
  controlPoints(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ControlPointDto[]> {
    return this.plans.controlPoints(p, id);
  }

  @Patch('incidents/:id/control-points/:cpId')
  @Roles(POINT_WRITERS)
  @ApiOkResponse({ type: ControlPointDto })
  @ApiErrors(400, 403, 404)
  setControlPoint(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('cpId') cpId: string,
    @Body() dto: SetControlPointDto,
  ): Promise<ControlPointDto> {
    return this.plans.setControlPoint(p, id, /^\d{1,18}$/.test(cpId) ? cpId : '0', dto);
  }
}
