import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { ListThresholdEventsQuery, ThresholdEventPageDto } from './threshold.dto';
import { ThresholdService } from './threshold.service';

@ApiTags('feeds: thresholds')
@ApiBearerAuth()
@Controller('threshold-events')
export class ThresholdEventController {
  constructor(private readonly thresholds: ThresholdService) {}

  @Get()
  @Roles(['commander', 'duty_officer', 'auditor', 'town_admin'])
  @ApiOperation({
    summary:
      'Every threshold crossing (raise, upgrade, downgrade, lift) with the sums that caused it; newest first; a town admin sees its town',
  })
  @ApiOkResponse({ type: ThresholdEventPageDto })
  @ApiErrors(400, 403)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListThresholdEventsQuery): Promise<ThresholdEventPageDto> {
    return this.thresholds.listEvents(p, q);
  }
}
