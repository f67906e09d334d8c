import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import type { FeatureCollectionDto, FeatureImportReportDto } from '../point-features/feature-import.dto';
import { PointFeatureImporter, PointImportSpec } from '../point-features/point-feature-importer';
import { TeamFilterQuery, TeamPropertiesDto } from './team.dto';
import { TEAM_OUTPUT_ONLY, toTeamFeature } from './team.mapper';
import { TeamRepository, TeamWrite } from './team.repository';
import { TeamService } from './team.service';

/**
 * Rescue teams as RFC 7946 FeatureCollections (geometry: the base). An import replaces each
 * named team's register fields; new teams start on standby, existing ones keep their status.
 */
@Injectable()
export class TeamGeoJsonService {
  constructor(
    private readonly teams: TeamService,
    private readonly repo: TeamRepository,
    private readonly importer: PointFeatureImporter,
  ) {}

  async export(principal: Principal, f: TeamFilterQuery): Promise<FeatureCollectionDto> {
    const rows = await this.teams.rowsInScope(principal, f);
    return { type: 'FeatureCollection', features: rows.map(toTeamFeature) };
  }

  import(principal: Principal, body: unknown, opts: { repair: boolean; dryRun: boolean }): Promise<FeatureImportReportDto> {
    return this.importer.run(principal, body, opts, this.spec);
  }

  private readonly spec: PointImportSpec<TeamPropertiesDto, TeamWrite> = {
    properties: TeamPropertiesDto,
    outputOnly: TEAM_OUTPUT_ONLY,
    resolve: async (principal, items) => {
      const resolved = await this.teams.resolveWrites(
        principal,
        items.map(({ properties: p, location }) => ({
          code: p.code,
          name: p.name,
          level: p.level,
          divisionCode: p.divisionCode,
          location,
          members: p.members,
          specialities: p.specialities,
          contactName: p.contactName,
          contactPhone: p.contactPhone,
        })),
      );
      return resolved.map((r) => ({ write: r.write, problems: r.problems.map(({ field, problem }) => ({ field, problem })) }));
    },
    entity: 'team',
    lockByCodes: (codes, m) => this.repo.lockByCodes(codes, m),
    insert: (write, m) => this.repo.insert(write, 'standby', m),
    update: (id, write, m) => this.repo.update(id, write, null, m),
  };
}
