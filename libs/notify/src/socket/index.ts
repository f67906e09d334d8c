export * from './realtime.types';
export * from './realtime.module';
export * from './realtime.service';
export { RealtimeGateway } from './realtime.gateway';
export { RealtimeRetentionJob } from './realtime-retention.job';
