import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, Roles } from '@fangxun/common';
import type { RawBodyRequest } from '@fangxun/platform';
import { ApiErrors } from '@fangxun/platform';
import { ListSmsQuery, SmsMessageDto, SmsProviderStatsDto, StatsQuery } from './sms.dto';
import { SmsQueryService } from './sms-query.service';
import { SmsWebhookService } from './sms-webhook.service';

const COMMAND_ROOM = ['duty_officer', 'commander', 'auditor'] as const;

@ApiTags('notify: sms')
@ApiBearerAuth()
@Controller('sms')
export class SmsController {
  constructor(private readonly query: SmsQueryService) {}

  @Get('messages')
  @Roles(COMMAND_ROOM)
  @ApiOkResponse({ type: [SmsMessageDto], description: 'newest first; numbers masked to the last 4 digits' })
  @ApiErrors(400)
  list(@Query() q: ListSmsQuery): Promise<SmsMessageDto[]> {
    return this.query.list(q);
  }

  @Get('stats')
  @Roles(COMMAND_ROOM)
  @ApiOkResponse({
    type: [SmsProviderStatsDto],
    description: 'per provider: messages by status; requests, errors by code, failovers, throttles and look-ups in the window',
  })
  @ApiErrors(400)
  stats(@Query() q: StatsQuery): Promise<SmsProviderStatsDto[]> {
    return this.query.stats(q.hours ?? 24);
  }
}

/**
 * Provider pushes. Public routes, but nothing is read before the push is verified: the
 * `token` query parameter (Aliyun, Tencent, sandbox) or the X-Fangxun-Signature HMAC (generic);
 * anything else is a 401 that changes nothing. Answers in the body each provider expects.
 */
@ApiTags('notify: sms callbacks')
@Controller('sms/callbacks')
export class SmsCallbackController {
  constructor(private readonly webhooks: SmsWebhookService) {}

  @Post(':provider/receipts')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Delivery receipts (Aliyun SmsReport, Tencent status callback, generic)' })
  @ApiOkResponse({ description: 'the provider\'s ack, e.g. {"code":0,"msg":"接收成功"} for Aliyun' })
  @ApiErrors(400, 404)
  async receipts(@Param('provider') provider: string, @Req() req: RawBodyRequest, @Res() res: Response): Promise<void> {
    const { ack } = await this.webhooks.receipts({
      provider,
      query: req.query,
      headers: req.headers,
      rawBody: req.rawBody ?? Buffer.alloc(0),
    });
    res.status(200).json(ack);
  }

  @Post(':provider/replies')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Inbound replies (Aliyun SmsUp, Tencent reply callback, generic)' })
  @ApiOkResponse({ description: "the provider's ack" })
  @ApiErrors(400, 404)
  async replies(@Param('provider') provider: string, @Req() req: RawBodyRequest, @Res() res: Response): Promise<void> {
    const { ack } = await this.webhooks.replies({
      provider,
      query: req.query,
      headers: req.headers,
      rawBody: req.rawBody ?? Buffer.alloc(0),
    });
    res.status(200).json(ack);
  }
}
