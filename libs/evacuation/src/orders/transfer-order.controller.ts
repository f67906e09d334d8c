import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { TaskService } from '../tasks/task.service';
import { TaskProgressService } from '../tasks/task-progress.service';
import { ManualTransferOrders } from './manual-transfer-orders';
import { LiftedOrderDto, LiftOrderDto, RaisedOrderDto, RaiseOrderDto, TransferOrderDto } from './transfer-order.dto';

@ApiTags('evacuation: transfer orders')
@ApiBearerAuth()
@Controller('evacuation/orders')
export class TransferOrderController {
  constructor(
    private readonly manual: ManualTransferOrders,
    private readonly tasks: TaskService,
    private readonly progress: TaskProgressService,
  ) {}

  @Post(':id/lift')
  @HttpCode(200)
  @Roles(['commander', 'duty_officer', 'town_admin'])
  @ApiOperation({
    summary: 'Lift a transfer order (解除转移): unused places go back, people may return home (returned reports)',
    description: 'A town admin may lift only an order whose open tasks are all in his town.',
  })
  @ApiOkResponse({ type: LiftedOrderDto })
  @ApiErrors(400, 403, 404, 409)
  lift(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: LiftOrderDto): Promise<LiftedOrderDto> {
    return this.progress.lift(p, id, dto);
  }

  @Post()
  @Roles(['commander', 'duty_officer', 'town_admin'])
  @ApiOperation({
    summary: 'Raise a transfer order (转移令): 准备转移 or 立即转移 over risk objects or divisions',
    description:
      'One task per household for its responsible holder, places held at its shelter (assigned, else the nearest with room; ' +
      'a full shelter re-routes, none within evacuation.maxShelterDistanceM flags the task), pushed as one wake-up campaign. ' +
      'Risk objects turning to prepare/evacuate raise orders by themselves. The same requestKey twice raises one order.',
  })
  @ApiCreatedResponse({ type: RaisedOrderDto })
  @ApiErrors(400, 403, 404, 409, 422)
  raise(@CurrentPrincipal() p: Principal, @Body() dto: RaiseOrderDto): Promise<RaisedOrderDto> {
    return this.manual.raise(p, dto);
  }

  @Get(':id')
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'An order and its tasks in your area' })
  @ApiOkResponse({ type: TransferOrderDto })
  @ApiErrors(400, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TransferOrderDto> {
    return this.tasks.order(p, id);
  }
}
