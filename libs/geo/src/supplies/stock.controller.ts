import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, REGISTRY_WRITERS, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { AdjustStockDto, SetStockDto, StockItemDto, StockSummaryDto, StockSummaryQuery } from './stock.dto';
import { StockService } from './stock.service';

@ApiTags('geo: supplies')
@ApiBearerAuth()
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Put('supply-depots/:code/stock')
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Set one item to its counted quantity (stock-take); creates the item with its unit' })
  @ApiOkResponse({ type: StockItemDto })
  @ApiErrors(400, 404)
  set(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: SetStockDto): Promise<StockItemDto> {
    return this.stock.set(p, code, dto);
  }

  @Post('supply-depots/:code/stock/adjust')
  @HttpCode(200)
  @Roles(REGISTRY_WRITERS)
  @ApiOperation({ summary: 'Add or issue a quantity atomically, with a reason; 409 STOCK_WOULD_GO_NEGATIVE names what is available' })
  @ApiOkResponse({ type: StockItemDto })
  @ApiErrors(400, 404, 409)
  adjust(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() dto: AdjustStockDto): Promise<StockItemDto> {
    return this.stock.adjust(p, code, dto);
  }

  @Get('supply-stock/summary')
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'Totals by category and item across the depots in an area' })
  @ApiOkResponse({ type: StockSummaryDto })
  @ApiErrors(400, 404)
  summary(@CurrentPrincipal() p: Principal, @Query() q: StockSummaryQuery): Promise<StockSummaryDto> {
    return this.stock.summary(p, q.divisionCode);
  }
}
