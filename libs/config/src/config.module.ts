import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config.schema';
import { loadConfig } from './load-config';

/** Injection token of the validated, frozen configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Pass a config to use it as is (tests); otherwise the environment is read once here. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config ?? loadConfig() }],
      exports: [APP_CONFIG],
    };
  }
}
