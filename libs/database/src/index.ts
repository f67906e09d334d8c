export * from './data-source-options';
export * from './database.module';
export * from './geometry-column';
export * from './migration-runner';
export * from './migrations';
export * from './pg-errors';
export * from './outbox';
export * from './pg-listener';
