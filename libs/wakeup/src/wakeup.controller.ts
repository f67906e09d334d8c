import { Body, Controller, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Role } from '@fangxun/common';
import { ALL_ROLES, CurrentPrincipal, Principal, Public, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { AckOutcomeDto, ProxyAckDto } from './acks/ack.dto';
import { AckOutcome, AckService } from './acks/ack.service';
import { ackPage } from './acks/ack-page';
import { BoardDto, BoardQuery, ListCampaignsQuery } from './board/board.dto';
import { BoardService } from './board/board.service';
import { CampaignDto, CloseCampaignDto, StartCampaignDto, StartedCampaignDto } from './campaigns/campaign.dto';
import { CampaignQueryService } from './campaigns/campaign-query.service';
import { ManualOrders } from './campaigns/manual-orders';

/** Who may order a wake-up or answer for someone after phoning him. */
const COMMANDERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin'];
const PROXIES: readonly Role[] = ['commander', 'duty_officer', 'town_admin', 'village_admin'];
const BOARD_READERS: readonly Role[] = ['commander', 'duty_officer', 'auditor', 'town_admin', 'village_admin'];

@ApiTags('wake-up (叫应)')
@ApiBearerAuth()
@Controller('wakeup/campaigns')
export class CampaignController {
  constructor(
    private readonly orders: ManualOrders,
    private readonly queries: CampaignQueryService,
    private readonly board: BoardService,
  ) {}

  @Post()
  @Roles(COMMANDERS)
  @ApiCreatedResponse({ type: StartedCampaignDto, description: 'calls created and sent; the same requestKey returns the first campaign' })
  @ApiErrors(400, 403, 404, 422)
  start(@CurrentPrincipal() p: Principal, @Body() dto: StartCampaignDto): Promise<StartedCampaignDto> {
    return this.orders.start(p, dto);
  }

  @Get()
  @Roles(BOARD_READERS)
  @ApiOkResponse({ type: [CampaignDto], description: 'newest first; a town sees campaigns that call someone in it' })
  @ApiErrors(400)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListCampaignsQuery): Promise<CampaignDto[]> {
    return this.queries.list(p, q);
  }

  @Get(':id')
  @Roles(BOARD_READERS)
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.queries.get(p, id);
  }

  @Get(':id/board')
  @Roles(BOARD_READERS)
  @ApiOkResponse({ type: BoardDto, description: 'figures per town, time to 50/90/100 % answered, the people still silent' })
  @ApiErrors(400, 403, 404)
  boardOf(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: BoardQuery): Promise<BoardDto> {
    return this.board.forCampaign(p, id, q.town);
  }

  @Get(':id/calls')
  @Roles(BOARD_READERS)
  @ApiOkResponse({ description: 'every call of the campaign in your area' })
  @ApiErrors(403, 404)
  calls(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.callsOf(p, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(['commander', 'duty_officer'])
  @ApiOkResponse({ type: CampaignDto, description: 'timers stop; later answers are kept as late' })
  @ApiErrors(400, 403, 404, 409)
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CloseCampaignDto): Promise<CampaignDto> {
    return this.queries.close(p, id, dto.reason);
  }
}

@ApiTags('wake-up (叫应)')
@ApiBearerAuth()
@Controller('wakeup/calls')
export class CallController {
  constructor(
    private readonly queries: CampaignQueryService,
    private readonly acks: AckService,
  ) {}

  @Get(':id')
  @Roles(ALL_ROLES)
  @ApiOkResponse({ description: 'the call, its acknowledgement ledger and its timers' })
  @ApiErrors(403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.call(p, id);
  }

  @Post(':id/proxy-ack')
  @HttpCode(200)
  @Roles(PROXIES)
  @ApiOkResponse({ type: AckOutcomeDto, description: 'answered for the person after reaching him by phone; the note is required' })
  @ApiErrors(400, 403, 404)
  proxy(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ProxyAckDto): Promise<AckOutcome> {
    return this.acks.proxy(p, id, dto.stage ?? 'received', dto.note, dto.counts ? { ...dto.counts } : undefined);
  }
}

/**
 * The one-tap link in the SMS. GET shows a page with one button, POST answers: a link
 * previewer or a virus scanner that fetches the link must not answer for the warden.
 */
@ApiTags('wake-up (叫应)')
@Controller('wakeup/links')
export class AckLinkController {
  constructor(private readonly acks: AckService) {}

  @Get(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'a page with one "收到" button (nothing is recorded by opening it)' })
  @ApiErrors(401, 410)
  page(@Param('token') token: string): Promise<string> {
    return this.acks.describeLink(token).then((call) => ackPage(call, token));
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: AckOutcomeDto, description: 'JSON, or the confirmation page when the browser asks for HTML' })
  @ApiErrors(401, 404, 410)
  async ack(
    @Param('token') token: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AckOutcome | string> {
    const outcome = await this.acks.byLink(token);
    if (!accept?.includes('text/html')) return outcome;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    return ackPage(await this.acks.describeLink(token), token, true);
  }
}
