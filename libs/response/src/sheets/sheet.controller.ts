import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { ORDER_ANSWERERS, ORDER_ISSUERS, ORDER_READERS } from '../orders/order.controller';
import {
  CloseChainDto,
  CreateInstructionDto,
  CreateRiskPromptDto,
  CreateSheetFeedbackDto,
  ListChainsQuery,
  SheetChainDto,
  SheetChainPageDto,
} from './sheet.dto';
import { SheetService } from './sheet.service';

@ApiTags('response: 1833 sheets (3张单)')
@ApiBearerAuth()
@Controller('response/sheet-chains')
export class SheetController {
  constructor(private readonly sheets: SheetService) {}

  @Post()
  @Roles(ORDER_ISSUERS)
  @ApiCreatedResponse({ type: SheetChainDto, description: 'a risk prompt sheet (风险提示单) opens a chain: prompted' })
  @ApiErrors(400, 403, 422)
  prompt(@CurrentPrincipal() p: Principal, @Body() dto: CreateRiskPromptDto): Promise<SheetChainDto> {
    return this.sheets.prompt(p, dto);
  }

  @Get()
  @Roles(ORDER_READERS)
  @ApiOkResponse({ type: SheetChainPageDto, description: 'newest first (order=asc: oldest first); a town sees the chains naming it' })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListChainsQuery): Promise<SheetChainPageDto> {
    return this.sheets.list(p, q);
  }

  @Get(':id')
  @Roles(ORDER_READERS)
  @ApiOkResponse({ type: SheetChainDto })
  @ApiErrors(400, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SheetChainDto> {
    return this.sheets.get(p, id);
  }

  @Post(':id/instruction')
  @Roles(ORDER_ISSUERS)
  @ApiCreatedResponse({
    type: SheetChainDto,
    description: 'the control instruction sheet (管控指令单), delivered as an order to the towns: instructed',
  })
  @ApiErrors(400, 403, 404, 409, 422)
  instruct(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateInstructionDto,
  ): Promise<SheetChainDto> {
    return this.sheets.instruct(p, id, dto);
  }

  @Post(':id/feedback')
  @Roles(ORDER_ANSWERERS)
  @ApiCreatedResponse({ type: SheetChainDto, description: 'a feedback sheet (反馈单): what was done, counts, attachment names: fed_back' })
  @ApiErrors(400, 403, 404, 409, 422)
  feedback(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateSheetFeedbackDto,
  ): Promise<SheetChainDto> {
    return this.sheets.feedback(p, id, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(ORDER_ISSUERS)
  @ApiOkResponse({ type: SheetChainDto, description: 'closed (only after feedback)' })
  @ApiErrors(400, 403, 404, 409)
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CloseChainDto): Promise<SheetChainDto> {
    return this.sheets.close(p, id, dto.note);
  }
}
