import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { FeedsModule } from '@fangxun/feeds';
import { GeoModule } from '@fangxun/geo';
import { RealtimeModule, SmsModule } from '@fangxun/notify';
import { RegistryModule } from '@fangxun/registry';
import { AckRepository } from './acks/ack.repository';
import { AckService } from './acks/ack.service';
import { AckBatcher } from './acks/ack-batcher';
import { AckLedger } from './acks/ack-ledger';
import { SocketAcks } from './acks/socket-acks';
import { BoardPublisher } from './board/board.publisher';
import { BoardRepository } from './board/board.repository';
import { BoardService } from './board/board.service';
import { BoardFigures } from './board/board-figures';
import { CallRepository } from './calls/call.repository';
import { CallChannels } from './calls/call-channels';
import { CampaignRepository } from './campaigns/campaign.repository';
import { CampaignService } from './campaigns/campaign.service';
import { CampaignFollower } from './campaigns/campaign-follower';
import { CampaignQueryService } from './campaigns/campaign-query.service';
import { ManualOrders } from './campaigns/manual-orders';
import { RecipientFinder } from './campaigns/recipient-finder';
import { ResponseScope } from './campaigns/response-scope';
import { StandDownService } from './campaigns/stand-down.service';
import { WarningCampaigns } from './campaigns/warning-campaigns';
import { EscalationRepository } from './escalation/escalation.repository';
import { FirstSmsBatch } from './escalation/first-sms.batch';
import { StepProcessor } from './escalation/step.processor';
import { StepRepository } from './escalation/step.repository';
import { WakeupEventsHandler } from './events/wakeup-events.handler';
import { AckLinkController, CallController, CampaignController } from './wakeup.controller';

/**
 * 叫应: campaigns from warnings and orders, one call per person, the acknowledgement ledger,
 * escalation timers and the command board. Exports CampaignService (`start`, for the response
 * module's levels) and the pieces the worker's loop drives.
 */
@Module({
  imports: [AuditModule, RegistryModule, GeoModule, FeedsModule, OutboxModule, RealtimeModule, SmsModule],
  controllers: [CampaignController, CallController, AckLinkController],
  providers: [
    Clock,
    CampaignRepository,
    CallRepository,
    StepRepository,
    AckRepository,
    EscalationRepository,
    BoardRepository,
    CallChannels,
    CampaignService,
    StandDownService,
    CampaignFollower,
    RecipientFinder,
    WarningCampaigns,
    ResponseScope,
    ManualOrders,
    CampaignQueryService,
    AckLedger,
    AckBatcher,
    AckService,
    SocketAcks,
    FirstSmsBatch,
    StepProcessor,
    BoardFigures,
    BoardService,
    BoardPublisher,
    WakeupEventsHandler,
  ],
  exports: [CampaignService, ResponseScope, AckService, StepProcessor, BoardPublisher, WakeupEventsHandler],
})
export class WakeupModule {}
