import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CheckInTaskDto, TaskDto, TaskReportDto, TaskReportResultDto } from '../orders/transfer-order.dto';
import { TaskService } from './task.service';
import { TaskProgressService } from './task-progress.service';

@ApiTags('evacuation: transfer orders')
@ApiBearerAuth()
@Controller('evacuation/tasks')
export class TaskController {
  constructor(
    private readonly tasks: TaskService,
    private readonly progress: TaskProgressService,
  ) {}

  @Post(':id/reports')
  @HttpCode(200)
  @Roles(['commander', 'duty_officer', 'town_admin', 'village_admin', 'warden'])
  @ApiOperation({
    summary: 'Progress of one household: notified, moving, moved (people; forced), refused (reason), unreachable, trapped, returned',
    description:
      'clientId is made by the phone: a resend counts once (duplicate: true). returned before the order is lifted: 409 RETURN_BEFORE_LIFT.',
  })
  @ApiOkResponse({ type: TaskReportResultDto })
  @ApiErrors(400, 403, 404, 409)
  report(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TaskReportDto,
  ): Promise<TaskReportResultDto> {
    return this.progress.report(p, id, dto);
  }

  @Post(':id/check-in')
  @HttpCode(200)
  @Roles(['commander', 'duty_officer', 'town_admin', 'village_admin', 'warden'])
  @ApiOperation({
    summary: 'People of a task arrive at a shelter: their held places become occupied',
    description:
      'At another shelter (shelterCode) the held places go back and free places are taken. 409 SHELTER_FULL, never above capacity.',
  })
  @ApiOkResponse({ type: TaskDto })
  @ApiErrors(400, 403, 404, 409)
  checkIn(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CheckInTaskDto): Promise<TaskDto> {
    return this.tasks.checkIn(p, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(['commander', 'duty_officer', 'town_admin', 'village_admin'])
  @ApiOperation({ summary: 'Cancel an issued task: its held places go back to the shelter' })
  @ApiOkResponse({ type: TaskDto })
  @ApiErrors(400, 403, 404, 409)
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDto> {
    return this.tasks.cancel(p, id);
  }
}
