import type { PointDto } from '../point-features/point.dto';
import type { DepotDto } from './depot.dto';
import type { DepotRow } from './depot.repository';
import type { StockItemDto } from './stock.dto';
import type { StockRow } from './stock.repository';

export function toStockItemDto(s: StockRow): StockItemDto {
  return { category: s.category, item: s.item, unit: s.unit, quantity: s.quantity, updatedAt: new Date(s.updatedAt).toISOString() };
}

export function toDepotDto(r: DepotRow, managerName: string | null, stock?: StockRow[]): DepotDto {
  const dto: DepotDto = {
    code: r.code,
    name: r.name,
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    location: JSON.parse(r.location) as PointDto,
    managerHolderId: r.managerHolderId,
    managerName,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
  if (stock) dto.stock = stock.map(toStockItemDto);
  return dto;
}

/** The stock is exported for reading; it changes only through the stock routes (with a reason), never by import. */
export const DEPOT_OUTPUT_ONLY = ['divisionName', 'managerName', 'stock'] as const;

export function toDepotFeature(r: DepotRow, managerName: string | null, stock: StockRow[]) {
  return {
    type: 'Feature' as const,
    id: r.code,
    geometry: JSON.parse(r.location) as PointDto,
    properties: {
      code: r.code,
      name: r.name,
      divisionCode: r.divisionCode,
      managerHolderId: r.managerHolderId,
      divisionName: r.divisionName,
      managerName,
      stock: stock.map((s) => ({ category: s.category, item: s.item, unit: s.unit, quantity: s.quantity })),
    },
  };
}
