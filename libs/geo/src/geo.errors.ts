import { ErrorKind } from '@fangxun/common';

export const GeoErrors = {
  UnsupportedCrs: { code: 'UNSUPPORTED_CRS', status: 400 },
  WrongGeometryType: { code: 'WRONG_GEOMETRY_TYPE', status: 422 },
  RiskObjectNotFound: { code: 'RISK_OBJECT_NOT_FOUND', status: 404 },
  RiskCodeTaken: { code: 'RISK_CODE_TAKEN', status: 409 },
  ShelterNotFound: { code: 'SHELTER_NOT_FOUND', status: 404 },
  ShelterCodeTaken: { code: 'SHELTER_CODE_TAKEN', status: 409 },
  ShelterFull: { code: 'SHELTER_FULL', status: 409 },
  ShelterClosed: { code: 'SHELTER_CLOSED', status: 409 },
  TeamNotFound: { code: 'TEAM_NOT_FOUND', status: 404 },
  DepotNotFound: { code: 'DEPOT_NOT_FOUND', status: 404 },
  StockWouldGoNegative: { code: 'STOCK_WOULD_GO_NEGATIVE', status: 409 },
  GeoRuleViolated: { code: 'GEO_RULE_VIOLATED', status: 422 },
  ShelterInUse: { code: 'SHELTER_IN_USE', status: 409 },
  ShelterCapacityBelowUse: { code: 'SHELTER_CAPACITY_BELOW_USE', status: 409 },
  ShelterCountWouldGoNegative: { code: 'SHELTER_COUNT_WOULD_GO_NEGATIVE', status: 409 },
  TeamCodeTaken: { code: 'TEAM_CODE_TAKEN', status: 409 },
  DepotCodeTaken: { code: 'DEPOT_CODE_TAKEN', status: 409 },
  DepotHasStock: { code: 'DEPOT_HAS_STOCK', status: 409 },
  StockItemNotFound: { code: 'STOCK_ITEM_NOT_FOUND', status: 404 },
} satisfies Record<string, ErrorKind>;
