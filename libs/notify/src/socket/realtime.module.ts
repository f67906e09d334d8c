import { Module } from '@nestjs/common';
import { AuthModule } from '@fangxun/auth';
import { Clock } from '@fangxun/common';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeRepository } from './realtime.repository';
import { RealtimeService } from './realtime.service';
import { RealtimeDispatcher } from './realtime-dispatcher';
import { RealtimeInbound } from './realtime-inbound';
import { RealtimeRetentionJob } from './realtime-retention.job';

/**
 * The live channel's service: durable publish, ephemeral broadcast, inbound handlers and the
 * seen hook. Import it wherever events are produced (api or worker); it opens no sockets.
 */
@Module({
  providers: [RealtimeRepository, RealtimeService],
  exports: [RealtimeService],
})
export class RealtimeModule {}

/**
 * The api side: the socket.io server on the HTTP server (/command, /warden), the log tailer
 * and the inbound router. Import once, in the api (or standalone) root module.
 */
@Module({
  imports: [RealtimeModule, AuthModule],
  providers: [Clock, RealtimeRepository, RealtimeDispatcher, RealtimeInbound, RealtimeGateway],
  exports: [RealtimeModule],
})
export class RealtimeGatewayModule {}

/** The worker side: the retention sweep of the event log. */
@Module({
  providers: [Clock, RealtimeRepository, RealtimeRetentionJob],
  exports: [RealtimeRetentionJob],
})
export class RealtimeRetentionModule {}
