import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { FeedStateDto, PollOutcomeDto } from './feed.dto';
import { FeedPollService } from './feed-poll.service';

/** Polled feeds are city-wide infrastructure: the duty room watches them, the auditor reads. */
@ApiTags('feeds: polled HTTP feeds')
@ApiBearerAuth()
@Controller('feeds')
export class FeedController {
  constructor(private readonly polls: FeedPollService) {}

  @Get()
  @Roles(['duty_officer', 'commander', 'auditor'])
  @ApiOkResponse({ type: [FeedStateDto], description: 'each configured feed: cursor, last success, failures, next run' })
  @ApiErrors()
  list(): Promise<FeedStateDto[]> {
    return this.polls.states();
  }

  @Post(':name/poll')
  @HttpCode(200)
  @Roles(['duty_officer', 'commander'])
  @ApiOkResponse({ type: PollOutcomeDto, description: 'polls now; a failed fetch is reported in the body (status failed)' })
  @ApiErrors(404, 409)
  poll(@Param('name') name: string): Promise<PollOutcomeDto> {
    return this.polls.pollNow(name);
  }
}
