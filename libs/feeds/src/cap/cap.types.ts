/**
 * A CAP 1.2 alert, normalised: the same field names as the CAP elements, times as ISO-8601
 * UTC strings (the instant is what counts; we write them back in Beijing time), polygons and
 * circles parsed (CAP writes "lat,lon": note the order), repeated elements as arrays.
 */
export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export const CAP_RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapStatus = (typeof CAP_STATUSES)[number];
export type CapMsgType = (typeof CAP_MSG_TYPES)[number];
export type CapScope = (typeof CAP_SCOPES)[number];
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

export interface CapPair {
  valueName: string;
  value: string;
}

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

/** One vertex as CAP writes it: latitude first. */
export type LatLon = [number, number];

export interface CapCircle {
  lat: number;
  lon: number;
  radiusKm: number;
}

export interface CapArea {
  areaDesc: string;
  polygon: LatLon[][];
  circle: CapCircle[];
  geocode: CapPair[];
  altitude?: number;
  ceiling?: number;
}

export interface CapResource {
  resourceDesc: string;
  mimeType: string;
  size?: number;
  uri?: string;
  derefUri?: string;
  digest?: string;
}

export interface CapInfo {
  language: string;
  category: string[];
  event: string;
  responseType: string[];
  urgency: string;
  severity: CapSeverity;
  certainty: string;
  audience?: string;
  eventCode: CapPair[];
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter: CapPair[];
  resource: CapResource[];
  area: CapArea[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: CapScope;
  restriction?: string;
  addresses?: string;
  code: string[];
  note?: string;
  references: CapReference[];
  incidents?: string;
  info: CapInfo[];
}
