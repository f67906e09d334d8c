export * from './outbox.module';
export * from './outbox.service';
export * from './outbox-prune.job';
