// Public warning SMS (一键直达) to residents of risk objects: contact lists and campaigns. Sits above
// feeds (the official warning a campaign cites), geo (risk objects, areas) and notify (the SMS channel).
export { PublicWarningModule } from './public-warning.module';
export { PublicWarningService, PUBLIC_CAMPAIGN_REF } from './public-warning.service';
