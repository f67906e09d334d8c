import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import type { FeatureCollectionDto, FeatureImportReportDto } from '../point-features/feature-import.dto';
import { PointFeatureImporter, PointImportSpec } from '../point-features/point-feature-importer';
import { DepotFilterQuery, DepotPropertiesDto } from './depot.dto';
import { DEPOT_OUTPUT_ONLY, toDepotFeature } from './depot.mapper';
import { DepotRepository, DepotWrite } from './depot.repository';
import { DepotService, nameOf } from './depot.service';
import { StockRepository, StockRow } from './stock.repository';

/** Depots as RFC 7946 FeatureCollections, each with its stock in properties (read-only on import). */
@Injectable()
export class DepotGeoJsonService {
  constructor(
    private readonly depots: DepotService,
    private readonly repo: DepotRepository,
    private readonly stock: StockRepository,
    private readonly importer: PointFeatureImporter,
  ) {}

  async export(principal: Principal, f: DepotFilterQuery): Promise<FeatureCollectionDto> {
    const rows = await this.depots.rowsInScope(principal, f);
    const [names, items] = await Promise.all([
      this.depots.managerNames(rows.map((r) => r.managerHolderId)),
      this.stock.itemsOf(rows.map((r) => r.id)),
    ]);
    const byDepot = new Map<string, StockRow[]>();
    for (const s of items) byDepot.set(s.depotId, [...(byDepot.get(s.depotId) ?? []), s]);
    return { type: 'FeatureCollection', features: rows.map((r) => toDepotFeature(r, nameOf(names, r), byDepot.get(r.id) ?? [])) };
  }

  import(principal: Principal, body: unknown, opts: { repair: boolean; dryRun: boolean }): Promise<FeatureImportReportDto> {
    return this.importer.run(principal, body, opts, this.spec);
  }

  private readonly spec: PointImportSpec<DepotPropertiesDto, DepotWrite> = {
    properties: DepotPropertiesDto,
    outputOnly: DEPOT_OUTPUT_ONLY,
    resolve: async (principal, items) => {
      const resolved = await this.depots.resolveWrites(
        principal,
        items.map(({ properties: p, location }) => ({
          input: { code: p.code, name: p.name, divisionCode: p.divisionCode, location, managerHolderId: p.managerHolderId ?? null },
          judgeManager: true,
        })),
      );
      return resolved.map((r) => ({ write: r.write, problems: r.problems.map(({ field, problem }) => ({ field, problem })) }));
    },
    entity: 'supply_depot',
    lockByCodes: (codes, m) => this.repo.lockByCodes(codes, m),
    insert: (write, m) => this.repo.insert(write, m),
    update: (id, write, m) => this.repo.update(id, write, m),
  };
}
