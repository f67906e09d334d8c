export * from './config.schema';
export * from './config.module';
export * from './env-map';
export * from './load-config';
