import { Injectable } from '@nestjs/common';
import type { ListSmsQuery, SmsMessageDto, SmsProviderStatsDto } from './sms.dto';
import { toSmsMessageDto, toStatsDtos } from './sms.mapper';
import { SmsRepository } from './sms.repository';

/** The command room's read side: messages by reference and status, counts per provider. */
@Injectable()
export class SmsQueryService {
  constructor(private readonly repo: SmsRepository) {}

  async list(q: ListSmsQuery): Promise<SmsMessageDto[]> {
    return (await this.repo.list({ refType: q.refType, refId: q.refId, status: q.status, limit: q.limit ?? 200 })).map(toSmsMessageDto);
  }

  async stats(hours = 24): Promise<SmsProviderStatsDto[]> {
    return toStatsDtos(await this.repo.stats(), await this.repo.attemptStats(hours));
  }
}
