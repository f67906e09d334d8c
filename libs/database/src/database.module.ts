import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { dataSourceOptions } from './data-source-options';

/**
 * The one PostgreSQL/PostGIS connection pool. No TypeORM entities: repositories are raw SQL
 * over `@InjectDataSource()` (README, Architecture), so nothing is registered with forFeature.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
    }),
  ],
})
export class DatabaseModule {}
