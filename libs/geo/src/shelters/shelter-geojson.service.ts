import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import type { FeatureCollectionDto, FeatureImportReportDto } from '../point-features/feature-import.dto';
import { PointFeatureImporter, PointImportSpec, StoredPoint } from '../point-features/point-feature-importer';
import { ShelterFilterQuery, ShelterPropertiesDto } from './shelter.dto';
import { SHELTER_OUTPUT_ONLY, toShelterFeature } from './shelter.mapper';
import { ShelterRepository, ShelterWrite } from './shelter.repository';
import { ShelterService } from './shelter.service';

/**
 * Shelters as RFC 7946 FeatureCollections. An import replaces each named shelter's register
 * fields (missing optional properties take their defaults); occupancy and reservations are
 * live figures, never set by a file: they are exported for reading and ignored on import.
 */
@Injectable()
export class ShelterGeoJsonService {
  constructor(
    private readonly shelters: ShelterService,
    private readonly repo: ShelterRepository,
    private readonly importer: PointFeatureImporter,
  ) {}

  async export(principal: Principal, f: ShelterFilterQuery): Promise<FeatureCollectionDto> {
    const rows = await this.shelters.rowsInScope(principal, f);
    const names = await this.shelters.managerNames(rows.map((r) => r.managerHolderId));
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => toShelterFeature(r, r.managerHolderId ? (names.get(r.managerHolderId) ?? null) : null)),
    };
  }

  import(principal: Principal, body: unknown, opts: { repair: boolean; dryRun: boolean }): Promise<FeatureImportReportDto> {
    return this.importer.run(principal, body, opts, this.spec);
  }

  private readonly spec: PointImportSpec<ShelterPropertiesDto, ShelterWrite> = {
    properties: ShelterPropertiesDto,
    outputOnly: SHELTER_OUTPUT_ONLY,
    resolve: async (principal, items) => {
      const resolved = await this.shelters.resolveWrites(
        principal,
        items.map(({ properties: p, location }) => ({
          input: {
            code: p.code,
            name: p.name,
            tier: p.tier,
            divisionCode: p.divisionCode,
            location,
            capacity: p.capacity,
            managerHolderId: p.managerHolderId ?? null,
            facilities: p.facilities ?? [],
            open: p.open ?? true,
          },
          judgeManager: true,
        })),
      );
      return resolved.map((r) => ({ write: r.write, problems: r.problems.map(({ field, problem }) => ({ field, problem })) }));
    },
    entity: 'shelter',
    lockByCodes: (codes, m) => this.repo.lockByCodes(codes, m),
    conflicts: (write, stored) => {
      const s = stored as StoredPoint<ShelterWrite> & { occupancy: number; reserved: number };
      const used = s.occupancy + s.reserved;
      return write.capacity < used
        ? [{ field: 'capacity', problem: `must be at least ${used}: ${s.occupancy} people checked in, ${s.reserved} places reserved` }]
        : [];
    },
    insert: (write, m) => this.repo.insert(write, m),
    update: (id, write, m) => this.repo.update(id, write, m),
  };
}
