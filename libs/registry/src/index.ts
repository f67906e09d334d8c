export * from './divisions/division-rules';
export * from './divisions/division.service';
export * from './entities/division.entity';
export * from './entities/holder.entity';
export * from './holders/holder.service';
export * from './holders/phone';
export * from './registry.errors';
export * from './registry.module';
