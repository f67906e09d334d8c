export { PublicWarningModule } from './public-warning.module';
export { PublicWarningService, PUBLIC_CAMPAIGN_REF } from './public-warning.service';
