import { Module } from '@nestjs/common';
import { AuthModule } from '@fangxun/auth';
import { ConfigModule } from '@fangxun/config';
import { FeedsModule } from '@fangxun/feeds';
import { GeoModule } from '@fangxun/geo';
import { PlatformModule } from '@fangxun/platform';
import { RegistryModule } from '@fangxun/registry';

/** The HTTP API (and later the socket.io gateways): stateless, run as many as needed. */
@Module({
  imports: [ConfigModule.forRoot(), PlatformModule, AuthModule, RegistryModule, GeoModule, FeedsModule],
})
export class ApiModule {}
