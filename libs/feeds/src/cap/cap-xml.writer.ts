import type { CapAlert, CapArea, CapInfo, CapPair, CapResource } from './cap.types';
import { formatCapCircle, formatCapPolygon } from './cap-geometry';
import { formatCapTime } from './cap-time';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Line = string | undefined;

function el(indent: string, name: string, value: string | number | undefined): Line {
  return value === undefined || value === '' ? undefined : `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

function block(indent: string, name: string, lines: Line[]): string {
  return [`${indent}<${name}>`, ...lines.filter((l): l is string => l !== undefined), `${indent}</${name}>`].join('\n');
}

function pair(indent: string, name: string, p: CapPair): string {
  return block(indent, name, [el(`${indent}  `, 'valueName', p.valueName), el(`${indent}  `, 'value', p.value)]);
}

function resource(i: string, r: CapResource): string {
  const j = `${i}  `;
  return block(i, 'resource', [
    el(j, 'resourceDesc', r.resourceDesc),
    el(j, 'mimeType', r.mimeType),
    el(j, 'size', r.size),
    el(j, 'uri', r.uri),
    el(j, 'derefUri', r.derefUri),
    el(j, 'digest', r.digest),
  ]);
}

function area(i: string, a: CapArea): string {
  const j = `${i}  `;
  return block(i, 'area', [
    el(j, 'areaDesc', a.areaDesc),
    ...a.polygon.map((p) => el(j, 'polygon', formatCapPolygon(p))),
    ...a.circle.map((c) => el(j, 'circle', formatCapCircle(c))),
    ...a.geocode.map((g) => pair(j, 'geocode', g)),
    el(j, 'altitude', a.altitude),
    el(j, 'ceiling', a.ceiling),
  ]);
}

function info(i: string, f: CapInfo): string {
  const j = `${i}  `;
  const t = (v: string | undefined) => (v === undefined ? undefined : formatCapTime(v));
  return block(i, 'info', [
    el(j, 'language', f.language),
    ...f.category.map((c) => el(j, 'category', c)),
    el(j, 'event', f.event),
    ...f.responseType.map((c) => el(j, 'responseType', c)),
    el(j, 'urgency', f.urgency),
    el(j, 'severity', f.severity),
    el(j, 'certainty', f.certainty),
    el(j, 'audience', f.audience),
    ...f.eventCode.map((p) => pair(j, 'eventCode', p)),
    el(j, 'effective', t(f.effective)),
    el(j, 'onset', t(f.onset)),
    el(j, 'expires', t(f.expires)),
    el(j, 'senderName', f.senderName),
    el(j, 'headline', f.headline),
    el(j, 'description', f.description),
    el(j, 'instruction', f.instruction),
    el(j, 'web', f.web),
    el(j, 'contact', f.contact),
    ...f.parameter.map((p) => pair(j, 'parameter', p)),
    ...f.resource.map((r) => resource(j, r)),
    ...f.area.map((a) => area(j, a)),
  ]);
}

/**
 * Writes a CAP 1.2 alert: XML declaration, the CAP namespace, elements in the schema's order,
 * text escaped, times in Beijing time with their offset, polygons and circles as "lat,lon".
 */
export function writeCapXml(a: CapAlert): string {
  const i = '  ';
  const refs = a.references.map((r) => `${r.sender},${r.identifier},${formatCapTime(r.sent)}`).join(' ');
  const body = [
    el(i, 'identifier', a.identifier),
    el(i, 'sender', a.sender),
    el(i, 'sent', formatCapTime(a.sent)),
    el(i, 'status', a.status),
    el(i, 'msgType', a.msgType),
    el(i, 'source', a.source),
    el(i, 'scope', a.scope),
    el(i, 'restriction', a.restriction),
    el(i, 'addresses', a.addresses),
    ...a.code.map((c) => el(i, 'code', c)),
    el(i, 'note', a.note),
    el(i, 'references', refs),
    el(i, 'incidents', a.incidents),
    ...a.info.map((f) => info(i, f)),
  ].filter((l): l is string => l !== undefined);
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<alert xmlns="${CAP_NAMESPACE}">`, ...body, '</alert>', ''].join('\n');
}
