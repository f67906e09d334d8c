import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import * as C from '../cap/cap.types';
import { CAP_LIMITS } from '../cap/cap-validate';

const xml: SchemaObject = { type: 'string', format: 'xml', description: 'CAP 1.2 <alert> document (UTF-8 or UTF-16)' };

/** A CAP element that may repeat: one value, or a list of at most `max` (refused beyond it, before any item is read). */
function repeat(item: SchemaObject, max: number): SchemaObject {
  return { oneOf: [item, { type: 'array', items: item, maxItems: max }] };
}

const text: SchemaObject = { type: 'string' };
const pair: SchemaObject = {
  type: 'object',
  required: ['valueName'],
  properties: { valueName: text, value: text },
};

const area: SchemaObject = {
  type: 'object',
  required: ['areaDesc'],
  properties: {
    areaDesc: text,
    polygon: repeat({ type: 'string', description: 'space-separated "lat,lon" pairs, closed' }, CAP_LIMITS.polygon),
    circle: repeat({ type: 'string', description: '"lat,lon radiusKm"' }, CAP_LIMITS.circle),
    geocode: repeat(pair, CAP_LIMITS.geocode),
    altitude: text,
    ceiling: text,
  },
};

const resource: SchemaObject = {
  type: 'object',
  required: ['resourceDesc', 'mimeType'],
  properties: { resourceDesc: text, mimeType: text, size: text, uri: text, derefUri: text, digest: text },
};

const info: SchemaObject = {
  type: 'object',
  required: ['category', 'event', 'urgency', 'severity', 'certainty'],
  properties: {
    language: text,
    category: repeat({ type: 'string', enum: [...C.CAP_CATEGORIES] }, CAP_LIMITS.category),
    event: text,
    responseType: repeat({ type: 'string', enum: [...C.CAP_RESPONSE_TYPES] }, CAP_LIMITS.responseType),
    urgency: { type: 'string', enum: [...C.CAP_URGENCIES] },
    severity: { type: 'string', enum: [...C.CAP_SEVERITIES] },
    certainty: { type: 'string', enum: [...C.CAP_CERTAINTIES] },
    audience: text,
    eventCode: repeat(pair, CAP_LIMITS.eventCode),
    effective: text,
    onset: text,
    expires: text,
    senderName: text,
    headline: text,
    description: text,
    instruction: text,
    web: text,
    contact: text,
    parameter: repeat(pair, CAP_LIMITS.parameter),
    resource: repeat(resource, CAP_LIMITS.resource),
    area: repeat(area, CAP_LIMITS.area),
  },
};

/**
 * The bodies POST /warnings takes, as the OpenAPI document declares them: CAP XML as text, and
 * the JSON form as an object with the CAP element names (validateCapAlert checks it; CAP's
 * repeatable elements may be one value or a list, each list bounded by CAP_LIMITS).
 */
export const CAP_BODY_FORMS: Record<string, SchemaObject> = {
  'application/cap+xml': xml,
  'application/xml': xml,
  'text/xml': xml,
  'application/json': {
    type: 'object',
    required: ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'],
    properties: {
      identifier: { type: 'string', example: '33108241600000_20260728100000' },
      sender: { type: 'string', example: '331082@zjmb.gov.cn' },
      sent: { type: 'string', example: '2026-07-28T10:00:00+08:00', description: 'with a zone' },
      status: { type: 'string', enum: [...C.CAP_STATUSES] },
      msgType: { type: 'string', enum: [...C.CAP_MSG_TYPES] },
      scope: { type: 'string', enum: [...C.CAP_SCOPES] },
      source: { type: 'string' },
      restriction: { type: 'string' },
      addresses: { type: 'string' },
      note: { type: 'string' },
      references: {
        type: 'string',
        description: `whitespace-separated "sender,identifier,sent" triples, at most ${CAP_LIMITS.references}`,
      },
      incidents: { type: 'string' },
      code: repeat(text, CAP_LIMITS.code),
      info: repeat(info, CAP_LIMITS.info),
    },
  },
};
