import { Module } from '@nestjs/common';
import { FeedsModule } from '@fangxun/feeds';
import { GeoModule } from '@fangxun/geo';
import { SmsModule } from '@fangxun/notify';
import { PublicContactService } from './public-contact.service';
import { PublicContactController, PublicWarningController } from './public-warning.controller';
import { PublicWarningRepository } from './public-warning.repository';
import { PublicWarningService } from './public-warning.service';

/** Public warning SMS (一键直达): contact lists of risk objects and the campaigns that text them. */
@Module({
  imports: [SmsModule, GeoModule, FeedsModule],
  controllers: [PublicContactController, PublicWarningController],
  providers: [PublicWarningRepository, PublicContactService, PublicWarningService],
  exports: [PublicWarningService],
})
export class PublicWarningModule {}
