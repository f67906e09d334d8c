import type { RiskType } from '../risk-objects/risk-object.types';

/** How the command room names each risk list in reasons and reports. */
export const RISK_TYPE_ZH: Record<RiskType, string> = {
  flash_flood_zone: '山洪危险区',
  geo_hazard_zone: '地质灾害风险防范区',
  reservoir: '水库山塘',
  seawall: '海塘堤防',
  low_lying_point: '低洼易涝点',
  dilapidated_house: '危旧房',
  construction_site: '在建工地',
  fishing_boat: '渔船',
  offshore_project: '海上工程',
};
