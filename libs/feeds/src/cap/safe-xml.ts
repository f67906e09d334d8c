import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '@fangxun/common';
import { CapErrors, capTooLarge, unsafeXml } from './cap.errors';

export interface SafeXmlLimits {
  maxBytes: number;
  maxDepth: number;
}

/** More `&…;` references than a CAP alert ever needs: a numeric-entity flood, refused. */
export const MAX_REFERENCES = 2000;
/** One start tag (name and attributes) longer than this is refused: CAP tags carry xmlns only. */
export const MAX_TAG_BYTES = 8192;

/** Parsed element tree as fast-xml-parser gives it: text in `#text`, attributes prefixed `@_`. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Entities stay as written (`&amp;`): we decode the five predefined ones and character
  // references ourselves, after the counts above, so nothing can expand inside the parser.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Every element is a list, so `info`, `area`, `polygon`… read the same with one or many.
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  commentPropName: false,
});

/**
 * Reads untrusted XML with every limit applied on the raw bytes before a parser runs:
 * size (413), no DOCTYPE and no ENTITY declaration in any spelling or encoding (NUL bytes are
 * dropped before the scan, so UTF-16 and UTF-32 spellings are caught too), start-tag length,
 * nesting depth and the number of references (400). Each check is one linear pass, so a
 * hostile file is refused in about the time it takes to read it.
 */
export function parseSafeXml(raw: Buffer, limits: SafeXmlLimits): { doc: XmlNode; text: string } {
  if (raw.length > limits.maxBytes) throw capTooLarge(limits.maxBytes);
  refuseDeclarations(raw);
  const text = decode(raw);
  prescan(text, limits.maxDepth);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new AppError(CapErrors.MalformedXml, `malformed XML at line ${line}: ${msg}`, [{ field: `(body) line ${line}`, problem: msg }]);
  }
  return { doc: PARSER.parse(text) as XmlNode, text };
}

function refuseDeclarations(raw: Buffer): void {
  const ascii = (raw.includes(0) ? Buffer.from(raw.filter((b) => b !== 0)) : raw).toString('latin1');
  const m = /<!\s*(doctype|entity)/i.exec(ascii);
  if (m) throw unsafeXml(`<!${m[1].toUpperCase()} is not accepted (no DTDs, no entity declarations)`);
}

/** The encoding an XML declaration names (ASCII bytes at the very start), lower-cased; undefined when none. */
function declaredEncoding(raw: Buffer): string | undefined {
  const head = raw.subarray(0, 200).toString('latin1');
  return /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head)?.[1].toLowerCase();
}

/** Chinese national encodings still declared by legacy senders; GB18030 is a superset of GBK and GB2312. */
const GB_ENCODINGS = new Set(['gb2312', 'gbk', 'gb18030', 'cp936', 'x-gbk', 'euc-cn']);

function decode(raw: Buffer): string {
  const declared = declaredEncoding(raw);
  if (declared && GB_ENCODINGS.has(declared)) {
    if (raw.includes(0)) throw unsafeXml(`not valid ${declared.toUpperCase()} (NUL bytes)`);
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(raw);
    } catch {
      throw unsafeXml(`not valid ${declared.toUpperCase()}, as the XML declaration says`);
    }
  }
  if (declared && !/^utf-?(8|16)$/.test(declared)) {
    throw unsafeXml(`encoding ${declared} is not accepted (UTF-8, UTF-16, GB2312, GBK or GB18030)`);
  }
  try {
    if (raw[0] === 0xfe && raw[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(raw.subarray(2));
    if (raw[0] === 0xff && raw[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(raw.subarray(2));
    if (raw.includes(0)) throw new Error('NUL');
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    throw unsafeXml('not valid UTF-8 (or UTF-16 with a byte-order mark)');
  }
}

/** One pass over the text: nesting depth, start-tag length and reference count. */
function prescan(text: string, maxDepth: number): void {
  let depth = 0;
  let refs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x26 /* & */ && ++refs > MAX_REFERENCES) throw unsafeXml(`more than ${MAX_REFERENCES} entity or character references`);
    if (c !== 0x3c /* < */) continue;
    const next = text.charCodeAt(i + 1);
    if (next === 0x2f /* / */) {
      depth--;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) continue;
    const end = tagEnd(text, i);
    if (end < 0) throw unsafeXml(`a start tag longer than ${MAX_TAG_BYTES} characters`);
    if (text.charCodeAt(end - 1) !== 0x2f && ++depth > maxDepth) throw unsafeXml(`elements nested deeper than ${maxDepth}`);
    i = end;
  }
}

/** Index of the `>` closing the start tag at `start` (quotes respected), or -1 if too long. */
function tagEnd(text: string, start: number): number {
  let quote = 0;
  const stop = Math.min(text.length, start + MAX_TAG_BYTES);
  for (let i = start + 1; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
  }
  return stop === text.length ? text.length : -1;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five predefined entities and character references of one text value; any
 * other named entity is undefined (we accept no DTD), so the value is refused.
 */
export function decodeXmlText(value: string, field: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]{0,12});/g, (whole, name: string) => {
    if (PREDEFINED[name]) return PREDEFINED[name];
    const num = /^#(x[0-9a-f]{1,6}|[0-9]{1,7})$/i.exec(name);
    const cp = num ? (num[1][0].toLowerCase() === 'x' ? parseInt(num[1].slice(1), 16) : parseInt(num[1], 10)) : NaN;
    if (Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) return String.fromCodePoint(cp);
    throw new AppError(CapErrors.Invalid, `${field}: undefined entity ${whole}`, [{ field, problem: `undefined entity ${whole}` }]);
  });
}
