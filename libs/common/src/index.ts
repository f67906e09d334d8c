export * from './access.decorators';
export * from './app-error';
export * from './clock';
export * from './cursor';
export * from './mask';
export * from './principal';
export * from './scope';
export * from './interval-job';
