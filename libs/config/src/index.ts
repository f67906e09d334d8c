export * from './config.schema';
export * from './config.module';
export * from './env-map';
export * from './load-config';
export { polledFeedsSchema } from './feeds-polling.schema';
export type { PolledFeedConfig } from './feeds-polling.schema';
export type { ThresholdsConfig } from './thresholds.schema';
export * from './wakeup.schema';
export * from './sms.schema';
