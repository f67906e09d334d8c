import { Extensions1764300000000 } from './1764300000000-Extensions';
import { Registry1764300000100 } from './1764300000100-Registry';
import { Auth1764300000200 } from './1764300000200-Auth';
import { Geo1764300000300 } from './1764300000300-Geo';
import { RiskObjectStatus1764300000410 } from './1764300000410-RiskObjectStatus';
import { SupplyMovements1764300000420 } from './1764300000420-SupplyMovements';
import { DivisionBoundaryParts1764300000430 } from './1764300000430-DivisionBoundaryParts';
import { SpatialRelations1764300000431 } from './1764300000431-SpatialRelations';
import { Gauges1764300000500 } from './1764300000500-Gauges';
import { Outbox1764300000510 } from './1764300000510-Outbox';
import { Warnings1764300000511 } from './1764300000511-Warnings';
import { FeedPolling1764300000520 } from './1764300000520-FeedPolling';
import { Thresholds1764300000530 } from './1764300000530-Thresholds';
import { Sms1764300000600 } from './1764300000600-Sms';
import { RealtimeEvents1764300000610 } from './1764300000610-RealtimeEvents';
import { PublicWarnings1764300000620 } from './1764300000620-PublicWarnings';
import { Wakeup1764300000700 } from './1764300000700-Wakeup';
import { AreaRelationSlivers1764300000710 } from './1764300000710-AreaRelationSlivers';
import { OutboxPrune1764300000720 } from './1764300000720-OutboxPrune';
import { WakeupBoardTallies1764300000740 } from './1764300000740-WakeupBoardTallies';
import { WarningReachAndStandDown1764300000753 } from './1764300000753-WarningReachAndStandDown';
import { WarningIdentityBySender1764300000754 } from './1764300000754-WarningIdentityBySender';
import { SmsCapped1764300000814 } from './1764300000814-SmsCapped';
import { SmsEarlyReceipts1764300000815 } from './1764300000815-SmsEarlyReceipts';
import { SmsAttempts1764300000816 } from './1764300000816-SmsAttempts';
import { BoardClosedCalls1764300000820 } from './1764300000820-BoardClosedCalls';
import { RegistryDivisionsView1764300000915 } from './1764300000915-RegistryDivisionsView';
import { EvidenceWithdrawn1764300000917 } from './1764300000917-EvidenceWithdrawn';
import { ReopenedCalls1764300000930 } from './1764300000930-ReopenedCalls';
import { OutboxIdCursor1764300000940 } from './1764300000940-OutboxIdCursor';
import { ResponseIncidents1764300001200 } from './1764300001200-ResponseIncidents';
import { ResponseCommand1764300001210 } from './1764300001210-ResponseCommand';
import { WakeupOrderSource1764300001300 } from './1764300001300-WakeupOrderSource';
import { ResponseOrders1764300001310 } from './1764300001310-ResponseOrders';
import { ResponseSheets1764300001320 } from './1764300001320-ResponseSheets';
import { AuditLog1764300001400 } from './1764300001400-AuditLog';
import { EvacHouseholds1764300001500 } from './1764300001500-EvacHouseholds';
import { EvacOrders1764300001510 } from './1764300001510-EvacOrders';
import { EvacReports1764300001520 } from './1764300001520-EvacReports';

/** Every migration in order. New ones are appended here (generated, then read and edited). */
export const MIGRATIONS = [
  Extensions1764300000000,
  Registry1764300000100,
  Auth1764300000200,
  Geo1764300000300,
  RiskObjectStatus1764300000410,
  SupplyMovements1764300000420,
  DivisionBoundaryParts1764300000430,
  SpatialRelations1764300000431,
  Gauges1764300000500,
  Outbox1764300000510,
  Warnings1764300000511,
  FeedPolling1764300000520,
  Thresholds1764300000530,
  Sms1764300000600,
  RealtimeEvents1764300000610,
  PublicWarnings1764300000620,
  Wakeup1764300000700,
  AreaRelationSlivers1764300000710,
  OutboxPrune1764300000720,
  WakeupBoardTallies1764300000740,
  WarningReachAndStandDown1764300000753,
  WarningIdentityBySender1764300000754,
  SmsCapped1764300000814,
  SmsEarlyReceipts1764300000815,
  SmsAttempts1764300000816,
  BoardClosedCalls1764300000820,
  RegistryDivisionsView1764300000915,
  EvidenceWithdrawn1764300000917,
  ReopenedCalls1764300000930,
  OutboxIdCursor1764300000940,
  ResponseIncidents1764300001200,
  ResponseCommand1764300001210,
  WakeupOrderSource1764300001300,
  ResponseOrders1764300001310,
  ResponseSheets1764300001320,
  AuditLog1764300001400,
  EvacHouseholds1764300001500,
  EvacOrders1764300001510,
  EvacReports1764300001520,
];
