export * from './audit-actor';
export * from './audit-diff';
export * from './audit-hash';
export * from './audit.service';
export * from './audit-verify.service';
export * from './audit.module';
export * from './audit-api.module';
export * from './correlation';
