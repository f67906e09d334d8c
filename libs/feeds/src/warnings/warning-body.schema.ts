import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CAP_MSG_TYPES, CAP_SCOPES, CAP_STATUSES } from '../cap/cap.types';

const xml: SchemaObject = { type: 'string', format: 'xml', description: 'CAP 1.2 <alert> document (UTF-8 or UTF-16)' };

/**
 * The bodies POST /warnings takes, as the OpenAPI document declares them: CAP XML as text, and
 * the JSON form as an object with the CAP element names (validateCapAlert checks it; CAP's
 * repeatable elements may be one object or a list, so they are not typed further here).
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
      status: { type: 'string', enum: [...CAP_STATUSES] },
      msgType: { type: 'string', enum: [...CAP_MSG_TYPES] },
      scope: { type: 'string', enum: [...CAP_SCOPES] },
      source: { type: 'string' },
      restriction: { type: 'string' },
      addresses: { type: 'string' },
      note: { type: 'string' },
      references: { type: 'string', description: 'whitespace-separated "sender,identifier,sent" triples' },
      incidents: { type: 'string' },
      code: { description: 'one code or a list (CAP repeats)' },
      info: { description: 'one info block or a list (CAP repeats): event, severity, area[] with polygon/circle/geocode…' },
    },
  },
};
