import { capInvalid } from './cap.errors';
import { parseCapCircle, parseCapPolygon } from './cap-geometry';
import { parseCapTime } from './cap-time';
import * as T from './cap.types';

type Obj = Record<string, unknown>;

const MAX_TEXT = 20_000;

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw capInvalid(field, 'must be an object');
  return v as Obj;
}

/** The JSON form may give one element or a list wherever CAP allows repeats. */
function list(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function str(o: Obj, key: string, field: string): string {
  const v = o[key];
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) throw capInvalid(field, 'is required');
  if (typeof v !== 'string') throw capInvalid(field, 'must be a string');
  if (v.length > MAX_TEXT) throw capInvalid(field, `longer than ${MAX_TEXT} characters`);
  return v.trim();
}

function opt(o: Obj, key: string, field: string): string | undefined {
  return o[key] === undefined || o[key] === null || o[key] === '' ? undefined : str(o, key, field);
}

function oneOf<V extends string>(o: Obj, key: string, field: string, allowed: readonly V[]): V {
  const v = str(o, key, field);
  if (!allowed.includes(v as V)) throw capInvalid(field, `must be one of ${allowed.join(', ')}`);
  return v as V;
}

function num(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[-+]?\d+(\.\d+)?$/.test(v)) throw capInvalid(field, 'must be a number');
  return Number(v);
}

function pairs(v: unknown, field: string): T.CapPair[] {
  return list(v).map((p, i) => {
    const o = obj(p, `${field}[${i}]`);
    return { valueName: str(o, 'valueName', `${field}[${i}].valueName`), value: str(o, 'value', `${field}[${i}].value`) };
  });
}

/** CAP identifiers and senders may not hold spaces, commas or `<`/`&` (they are joined in references). */
function token(o: Obj, key: string, field: string): string {
  const v = str(o, key, field);
  if (/[\s,<&]/.test(v)) throw capInvalid(field, 'must not contain spaces, commas, < or &');
  return v;
}

/** `references`: whitespace-separated "sender,identifier,sent" triples. */
export function parseReferences(text: string | undefined, field = 'references'): T.CapReference[] {
  if (!text) return [];
  return text
    .trim()
    .split(/\s+/)
    .map((triple, i) => {
      const parts = triple.split(',');
      if (parts.length !== 3 || parts.some((p) => !p)) throw capInvalid(`${field}[${i}]`, 'must be "sender,identifier,sent"');
      return { sender: parts[0], identifier: parts[1], sent: parseCapTime(parts[2], `${field}[${i}].sent`) };
    });
}

function area(v: unknown, f: string): T.CapArea {
  const o = obj(v, f);
  return {
    areaDesc: str(o, 'areaDesc', `${f}.areaDesc`),
    polygon: list(o.polygon).map((p, i) => parseCapPolygon(String(p), `${f}.polygon[${i}]`)),
    circle: list(o.circle).map((c, i) => parseCapCircle(String(c), `${f}.circle[${i}]`)),
    geocode: pairs(o.geocode, `${f}.geocode`),
    altitude: num(opt(o, 'altitude', `${f}.altitude`), `${f}.altitude`),
    ceiling: num(opt(o, 'ceiling', `${f}.ceiling`), `${f}.ceiling`),
  };
}

function resource(v: unknown, f: string): T.CapResource {
  const o = obj(v, f);
  return {
    resourceDesc: str(o, 'resourceDesc', `${f}.resourceDesc`),
    mimeType: str(o, 'mimeType', `${f}.mimeType`),
    size: num(opt(o, 'size', `${f}.size`), `${f}.size`),
    uri: opt(o, 'uri', `${f}.uri`),
    derefUri: opt(o, 'derefUri', `${f}.derefUri`),
    digest: opt(o, 'digest', `${f}.digest`),
  };
}

function time(o: Obj, key: string, f: string): string | undefined {
  const v = opt(o, key, `${f}.${key}`);
  return v === undefined ? undefined : parseCapTime(v, `${f}.${key}`);
}

function info(v: unknown, f: string): T.CapInfo {
  const o = obj(v, f);
  const category = list(o.category).map((c, i) => oneOf({ c }, 'c', `${f}.category[${i}]`, T.CAP_CATEGORIES));
  if (!category.length) throw capInvalid(`${f}.category`, 'is required');
  return {
    language: opt(o, 'language', `${f}.language`) ?? 'en-US',
    category,
    event: str(o, 'event', `${f}.event`),
    responseType: list(o.responseType).map((c, i) => oneOf({ c }, 'c', `${f}.responseType[${i}]`, T.CAP_RESPONSE_TYPES)),
    urgency: oneOf(o, 'urgency', `${f}.urgency`, T.CAP_URGENCIES),
    severity: oneOf(o, 'severity', `${f}.severity`, T.CAP_SEVERITIES),
    certainty: oneOf(o, 'certainty', `${f}.certainty`, T.CAP_CERTAINTIES),
    audience: opt(o, 'audience', `${f}.audience`),
    eventCode: pairs(o.eventCode, `${f}.eventCode`),
    effective: time(o, 'effective', f),
    onset: time(o, 'onset', f),
    expires: time(o, 'expires', f),
    senderName: opt(o, 'senderName', `${f}.senderName`),
    headline: opt(o, 'headline', `${f}.headline`),
    description: opt(o, 'description', `${f}.description`),
    instruction: opt(o, 'instruction', `${f}.instruction`),
    web: opt(o, 'web', `${f}.web`),
    contact: opt(o, 'contact', `${f}.contact`),
    parameter: pairs(o.parameter, `${f}.parameter`),
    resource: list(o.resource).map((r, i) => resource(r, `${f}.resource[${i}]`)),
    area: list(o.area).map((a, i) => area(a, `${f}.area[${i}]`)),
  };
}

/**
 * Checks a CAP alert in its JSON form (which is also what the XML reader produces) and
 * normalises it. The first problem found is reported with its path, e.g. `info[0].area[1].circle[0]`.
 */
export function validateCapAlert(input: unknown): T.CapAlert {
  const o = obj(input, '(body)');
  const msgType = oneOf(o, 'msgType', 'msgType', T.CAP_MSG_TYPES);
  const references = parseReferences(opt(o, 'references', 'references'));
  if ((msgType === 'Update' || msgType === 'Cancel') && !references.length) {
    throw capInvalid('references', `an ${msgType} must name the alert(s) it refers to`);
  }
  const scope = oneOf(o, 'scope', 'scope', T.CAP_SCOPES);
  const alert: T.CapAlert = {
    identifier: token(o, 'identifier', 'identifier'),
    sender: token(o, 'sender', 'sender'),
    sent: parseCapTime(str(o, 'sent', 'sent'), 'sent'),
    status: oneOf(o, 'status', 'status', T.CAP_STATUSES),
    msgType,
    source: opt(o, 'source', 'source'),
    scope,
    restriction: opt(o, 'restriction', 'restriction'),
    addresses: opt(o, 'addresses', 'addresses'),
    code: list(o.code).map((c, i) => str({ c }, 'c', `code[${i}]`)),
    note: opt(o, 'note', 'note'),
    references,
    incidents: opt(o, 'incidents', 'incidents'),
    info: list(o.info).map((v, i) => info(v, `info[${i}]`)),
  };
  if (scope === 'Restricted' && !alert.restriction) throw capInvalid('restriction', 'is required when scope is Restricted');
  if (scope === 'Private' && !alert.addresses) throw capInvalid('addresses', 'is required when scope is Private');
  return alert;
}
