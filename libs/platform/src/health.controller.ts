import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '@fangxun/common';
import { ErrorBodyDto } from './error-body';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Liveness: the process answers. Touches nothing else, so a slow database never restarts it. */
  @Get('health')
  @Public()
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and PostGIS is installed in it. */
  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      async () => {
        const check = this.indicators.check('postgis');
        try {
          const [row] = (await this.dataSource.query('select postgis_lib_version() as v')) as Array<{ v: string }>;
          return check.up({ version: row.v });
        } catch {
          return check.down({ message: 'PostGIS not installed in this database' });
        }
      },
    ]);
  }
}
