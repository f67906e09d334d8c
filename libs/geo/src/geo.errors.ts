import { ErrorKind } from '@fangxun/common';

export const GeoErrors = {
  UnsupportedCrs: { code: 'UNSUPPORTED_CRS', status: 400 },
  InvalidGeometry: { code: 'INVALID_GEOMETRY', status: 400 },
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
} satisfies Record<string, ErrorKind>;
