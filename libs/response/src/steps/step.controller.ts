import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal, Role } from '@fangxun/common';
import { CurrentPrincipal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { RESPONSE_READERS } from '../incidents/incident.controller';
import { StepDto, UpdateStepDto } from './step.dto';
import { StepService } from './step.service';

/** The HQ walks the steps: commanders and duty officers. */
export const HQ_WRITERS: readonly Role[] = ['commander', 'duty_officer'];

@ApiTags('response (1618)')
@ApiBearerAuth()
@Controller('response/incidents/:id/steps')
export class StepController {
  constructor(private readonly steps: StepService) {}

  @Get()
  @Roles(RESPONSE_READERS)
  @ApiOkResponse({ type: [StepDto], description: 'the standard command steps in order, then those of the plans activated' })
  @ApiErrors(403, 404)
  list(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<StepDto[]> {
    return this.steps.list(p, id);
  }

  @Patch(':code')
  @Roles(HQ_WRITERS)
  @ApiOkResponse({ type: StepDto })
  @ApiErrors(400, 403, 404, 409)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() dto: UpdateStepDto,
  ): Promise<StepDto> {
    return this.steps.update(p, id, code.slice(0, 40), dto);
  }
}
