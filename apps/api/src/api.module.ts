import { Module } from '@nestjs/common';
import { AuditApiModule, AuditModule } from '@fangxun/audit';
import { AuthModule } from '@fangxun/auth';
import { ConfigModule } from '@fangxun/config';
import { EvacuationModule } from '@fangxun/evacuation';
import { FeedsModule } from '@fangxun/feeds';
import { GeoModule } from '@fangxun/geo';
import { RealtimeGatewayModule, SmsModule } from '@fangxun/notify';
import { PlatformModule } from '@fangxun/platform';
import { PublicWarningModule } from '@fangxun/public-warnings';
import { RegistryModule } from '@fangxun/registry';
import { ResponseOrdersModule } from '@fangxun/response';
import { ResponseModule } from '@fangxun/response';
import { WakeupModule } from '@fangxun/wakeup';

/** The HTTP API and the socket.io gateways: stateless, run as many as needed. */
@Module({
  imports: [
    ConfigModule.forRoot(),
    PlatformModule,
    AuthModule,
    RegistryModule,
    GeoModule,
    FeedsModule,
    RealtimeGatewayModule,
    SmsModule,
    PublicWarningModule,
    WakeupModule,
    ResponseOrdersModule,
    ResponseModule,
    EvacuationModule,
    AuditModule,
    AuditApiModule,
  ],
})
export class ApiModule {}
