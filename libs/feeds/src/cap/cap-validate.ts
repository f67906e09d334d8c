import { AppError, ErrorDetail } from '@fangxun/common';
import { CapErrors, capInvalid } from './cap.errors';
import * as T from './cap.types';
import { parseCapCircle, parseCapPolygon } from './cap-geometry';
import { parseCapTime } from './cap-time';

type Obj = Record<string, unknown>;

/**
 * Collects every problem of one alert instead of stopping at the first (a sender fixing its
 * feed wants the whole list), and the notices about what was accepted but ignored.
 */
class Problems {
  readonly details: ErrorDetail[] = [];
  readonly notices: ErrorDetail[] = [];

  /** The field's value, or `fallback` with its problem noted when it is invalid. */
  take<T>(f: () => T, fallback: T): T {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof AppError) || err.kind.code !== CapErrors.Invalid.code) throw err;
      this.details.push(...err.details);
      return fallback;
    }
  }
}

const MAX_TEXT = 20_000;

/**
 * How many of each repeatable CAP element one alert may carry, XML or JSON alike, checked before
 * any item is read (bounded work per request; the OpenAPI document declares the same bounds).
 * Real alerts carry one or two infos (one per language), one area, a few dozen geocodes.
 */
export const CAP_LIMITS = {
  code: 100,
  references: 1000,
  info: 20,
  category: 12, // CAP 1.2 defines 12 categories
  responseType: 9, // and 9 response types
  eventCode: 100,
  parameter: 100,
  resource: 50,
  area: 500,
  polygon: 100,
  circle: 100,
  geocode: 2000,
} as const;

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw capInvalid(field, 'must be an object');
  return v as Obj;
}

/**
 * The JSON form may give one element or a list wherever CAP allows repeats. A list longer than
 * its bound is refused outright, before any of its items is looked at.
 */
function list(v: unknown, field: string, max: number): unknown[] {
  const items = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  if (items.length > max) throw capInvalid(field, `more than ${max} items`);
  return items;
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

/** valueName/value pairs; an empty `<value/>` is kept as '' (issuers send it for "not applicable"). */
function pairs(v: unknown, field: string, max: number, p: Problems): T.CapPair[] {
  return list(v, field, max).map((x, i) =>
    p.take(
      () => {
        const o = obj(x, `${field}[${i}]`);
        const value = o.value === undefined || o.value === null || o.value === '' ? '' : str(o, 'value', `${field}[${i}].value`);
        return { valueName: str(o, 'valueName', `${field}[${i}].valueName`), value };
      },
      { valueName: '', value: '' },
    ),
  );
}

/** Polygons or circles of an area; empty elements (`<polygon/>`) are ignored and noted. */
function shapes<S>(v: unknown, field: string, max: number, p: Problems, parse: (text: string, f: string) => S): S[] {
  const out: S[] = [];
  list(v, field, max).forEach((x, i) => {
    const f = `${field}[${i}]`;
    if (typeof x === 'string' && !x.trim()) {
      p.notices.push({ field: f, problem: 'empty: ignored' });
      return;
    }
    const parsed = p.take(() => parse(String(x), f), undefined);
    if (parsed !== undefined) out.push(parsed);
  });
  return out;
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
  const triples = text.trim().split(/\s+/, CAP_LIMITS.references + 1);
  if (triples.length > CAP_LIMITS.references) throw capInvalid(field, `more than ${CAP_LIMITS.references} references`);
  return triples.map((triple, i) => {
    const parts = triple.split(',');
    if (parts.length !== 3 || parts.some((p) => !p)) throw capInvalid(`${field}[${i}]`, 'must be "sender,identifier,sent"');
    return { sender: parts[0], identifier: parts[1], sent: parseCapTime(parts[2], `${field}[${i}].sent`) };
  });
}

function area(v: unknown, f: string, p: Problems): T.CapArea {
  const o = p.take(() => obj(v, f), {});
  const t = <V>(g: () => V, fallback: V) => p.take(g, fallback);
  return {
    areaDesc: t(() => str(o, 'areaDesc', `${f}.areaDesc`), ''),
    polygon: shapes(o.polygon, `${f}.polygon`, CAP_LIMITS.polygon, p, parseCapPolygon),
    circle: shapes(o.circle, `${f}.circle`, CAP_LIMITS.circle, p, parseCapCircle),
    geocode: pairs(o.geocode, `${f}.geocode`, CAP_LIMITS.geocode, p),
    altitude: t(() => num(opt(o, 'altitude', `${f}.altitude`), `${f}.altitude`), undefined),
    ceiling: t(() => num(opt(o, 'ceiling', `${f}.ceiling`), `${f}.ceiling`), undefined),
  };
}

function resource(v: unknown, f: string, p: Problems): T.CapResource {
  const o = p.take(() => obj(v, f), {});
  const t = <V>(g: () => V, fallback: V) => p.take(g, fallback);
  return {
    resourceDesc: t(() => str(o, 'resourceDesc', `${f}.resourceDesc`), ''),
    mimeType: t(() => str(o, 'mimeType', `${f}.mimeType`), ''),
    size: t(() => num(opt(o, 'size', `${f}.size`), `${f}.size`), undefined),
    uri: t(() => opt(o, 'uri', `${f}.uri`), undefined),
    derefUri: t(() => opt(o, 'derefUri', `${f}.derefUri`), undefined),
    digest: t(() => opt(o, 'digest', `${f}.digest`), undefined),
  };
}

function time(o: Obj, key: string, f: string): string | undefined {
  const v = opt(o, key, `${f}.${key}`);
  return v === undefined ? undefined : parseCapTime(v, `${f}.${key}`);
}

function info(v: unknown, f: string, p: Problems): T.CapInfo {
  const o = p.take(() => obj(v, f), {});
  const t = <V>(g: () => V, fallback: V) => p.take(g, fallback);
  const categories = list(o.category, `${f}.category`, CAP_LIMITS.category);
  const category = categories.flatMap((c, i) => t(() => [oneOf({ c }, 'c', `${f}.category[${i}]`, T.CAP_CATEGORIES)], []));
  if (!categories.length) p.details.push({ field: `${f}.category`, problem: 'is required' });
  return {
    language: t(() => opt(o, 'language', `${f}.language`), undefined) ?? 'en-US',
    category,
    event: t(() => str(o, 'event', `${f}.event`), ''),
    responseType: list(o.responseType, `${f}.responseType`, CAP_LIMITS.responseType).flatMap((c, i) =>
      t(() => [oneOf({ c }, 'c', `${f}.responseType[${i}]`, T.CAP_RESPONSE_TYPES)], []),
    ),
    urgency: t(() => oneOf(o, 'urgency', `${f}.urgency`, T.CAP_URGENCIES), 'Unknown'),
    severity: t(() => oneOf(o, 'severity', `${f}.severity`, T.CAP_SEVERITIES), 'Unknown'),
    certainty: t(() => oneOf(o, 'certainty', `${f}.certainty`, T.CAP_CERTAINTIES), 'Unknown'),
    audience: t(() => opt(o, 'audience', `${f}.audience`), undefined),
    eventCode: pairs(o.eventCode, `${f}.eventCode`, CAP_LIMITS.eventCode, p),
    effective: t(() => time(o, 'effective', f), undefined),
    onset: t(() => time(o, 'onset', f), undefined),
    expires: t(() => time(o, 'expires', f), undefined),
    senderName: t(() => opt(o, 'senderName', `${f}.senderName`), undefined),
    headline: t(() => opt(o, 'headline', `${f}.headline`), undefined),
    description: t(() => opt(o, 'description', `${f}.description`), undefined),
    instruction: t(() => opt(o, 'instruction', `${f}.instruction`), undefined),
    web: t(() => opt(o, 'web', `${f}.web`), undefined),
    contact: t(() => opt(o, 'contact', `${f}.contact`), undefined),
    parameter: pairs(o.parameter, `${f}.parameter`, CAP_LIMITS.parameter, p),
    resource: list(o.resource, `${f}.resource`, CAP_LIMITS.resource).map((r, i) => resource(r, `${f}.resource[${i}]`, p)),
    area: list(o.area, `${f}.area`, CAP_LIMITS.area).map((a, i) => area(a, `${f}.area[${i}]`, p)),
  };
}

/** A checked alert and what was accepted but ignored (empty polygons or circles), for the response. */
export interface ValidatedCap {
  alert: T.CapAlert;
  notices: ErrorDetail[];
}

/**
 * Checks a CAP alert in its JSON form (which is also what the XML reader produces) and
 * normalises it. Every problem found is reported with its path, e.g. `info[0].area[1].circle[0]`
 * (400 CAP_INVALID, all of them in `details`); empty polygons and circles are ignored and listed
 * in `notices`.
 */
export function checkCapAlert(input: unknown): ValidatedCap {
  const o = obj(input, '(body)');
  const p = new Problems();
  const t = <V>(g: () => V, fallback: V) => p.take(g, fallback);
  const msgType = t(() => oneOf(o, 'msgType', 'msgType', T.CAP_MSG_TYPES), 'Alert');
  const references = t(() => parseReferences(opt(o, 'references', 'references')), []);
  if ((msgType === 'Update' || msgType === 'Cancel') && !references.length && !p.details.some((d) => d.field.startsWith('references'))) {
    p.details.push({ field: 'references', problem: `an ${msgType} must name the alert(s) it refers to` });
  }
  const scope = t(() => oneOf(o, 'scope', 'scope', T.CAP_SCOPES), 'Public');
  const alert: T.CapAlert = {
    identifier: t(() => token(o, 'identifier', 'identifier'), ''),
    sender: t(() => token(o, 'sender', 'sender'), ''),
    sent: t(() => parseCapTime(str(o, 'sent', 'sent'), 'sent'), ''),
    status: t(() => oneOf(o, 'status', 'status', T.CAP_STATUSES), 'Actual'),
    msgType,
    source: t(() => opt(o, 'source', 'source'), undefined),
    scope,
    restriction: t(() => opt(o, 'restriction', 'restriction'), undefined),
    addresses: t(() => opt(o, 'addresses', 'addresses'), undefined),
    code: list(o.code, 'code', CAP_LIMITS.code).flatMap((c, i) => t(() => [str({ c }, 'c', `code[${i}]`)], [])),
    note: t(() => opt(o, 'note', 'note'), undefined),
    references,
    incidents: t(() => opt(o, 'incidents', 'incidents'), undefined),
    info: list(o.info, 'info', CAP_LIMITS.info).map((v, i) => info(v, `info[${i}]`, p)),
  };
  if (scope === 'Restricted' && !alert.restriction)
    p.details.push({ field: 'restriction', problem: 'is required when scope is Restricted' });
  if (scope === 'Private' && !alert.addresses) p.details.push({ field: 'addresses', problem: 'is required when scope is Private' });
  if (p.details.length) {
    const head = p.details.slice(0, 3).map((d) => `${d.field}: ${d.problem}`);
    const more = p.details.length > 3 ? `; and ${p.details.length - 3} more` : '';
    throw new AppError(CapErrors.Invalid, `${head.join('; ')}${more}`, p.details);
  }
  return { alert, notices: p.notices };
}

/** `checkCapAlert` when the notices are not wanted. */
export function validateCapAlert(input: unknown): T.CapAlert {
  return checkCapAlert(input).alert;
}
