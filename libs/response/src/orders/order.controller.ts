import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Role } from '@fangxun/common';
import { CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CreateOrderDto, ListOrdersQuery, OrderBoardDto, OrderDto, OrderFeedbackDto, OrderPageDto } from './dto/order.dto';
import { OrderService } from './order.service';

/** Commanders and duty officers issue orders; towns see and answer for their own part. */
export const ORDER_ISSUERS: readonly Role[] = ['commander', 'duty_officer'];
export const ORDER_READERS: readonly Role[] = ['commander', 'duty_officer', 'auditor', 'town_admin', 'village_admin'];
export const ORDER_ANSWERERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin'];

@ApiTags('response: orders (指令)')
@ApiBearerAuth()
@Controller('response/orders')
export class OrderController {
  constructor(private readonly orders: OrderService) {}

  @Post()
  @Roles(ORDER_ISSUERS)
  @ApiCreatedResponse({
    type: OrderDto,
    description: 'stored and delivered as a wake-up campaign; the same requestKey returns the first order',
  })
  @ApiErrors(400, 403, 422)
  issue(@CurrentPrincipal() p: Principal, @Body() dto: CreateOrderDto): Promise<OrderDto> {
    return this.orders.issue(p, dto);
  }

  @Get()
  @Roles(ORDER_READERS)
  @ApiOkResponse({
    type: OrderPageDto,
    description: 'newest first (order=asc: oldest first); a town sees orders with a target in it, and only those targets',
  })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListOrdersQuery): Promise<OrderPageDto> {
    return this.orders.list(p, q);
  }

  @Get(':id')
  @Roles(ORDER_READERS)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors(400, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<OrderDto> {
    return this.orders.get(p, id);
  }

  @Get(':id/board')
  @Roles(ORDER_READERS)
  @ApiOkResponse({
    type: OrderBoardDto,
    description: 'per town: targets signed (签收), completed (反馈), overdue, escalated; people called and signed',
  })
  @ApiErrors(400, 403, 404)
  board(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<OrderBoardDto> {
    return this.orders.board(p, id);
  }

  @Post(':id/targets/:targetId/feedback')
  @HttpCode(200)
  @Roles(ORDER_ANSWERERS)
  @ApiOkResponse({ type: OrderDto, description: 'the target completed with its report and counts (every count the order asks for)' })
  @ApiErrors(400, 403, 404, 409)
  feedback(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('targetId', ParseUUIDPipe) targetId: string,
    @Body() dto: OrderFeedbackDto,
  ): Promise<OrderDto> {
    return this.orders.feedback(p, id, targetId, dto.report, dto.counts);
  }
}
