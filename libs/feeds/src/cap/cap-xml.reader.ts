import { capInvalid } from './cap.errors';
import { CAP_NAMESPACE } from './cap-xml.writer';
import { decodeXmlText, parseSafeXml, SafeXmlLimits, XmlNode, XmlValue } from './safe-xml';

/** Elements CAP lets repeat; they become arrays in the JSON form, everything else a string. */
const REPEATED = new Set([
  'code',
  'info',
  'category',
  'responseType',
  'eventCode',
  'parameter',
  'resource',
  'area',
  'polygon',
  'circle',
  'geocode',
]);

const localName = (key: string): string => key.slice(key.indexOf(':') + 1);

/**
 * Reads CAP 1.2 XML into the JSON form (same field names as the elements), after the safe-XML
 * checks, with the decoded text (kept verbatim; UTF-16 input is stored as text, not bytes).
 * The root must be `alert` in the CAP 1.2 namespace, prefixed or not.
 */
export function readCapXml(raw: Buffer, limits: SafeXmlLimits): { json: Record<string, unknown>; text: string } {
  const { doc, text } = parseSafeXml(raw, limits);
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (roots.length !== 1) throw capInvalid('(root)', 'the document must have exactly one root element');
  const rootKey = roots[0];
  if (localName(rootKey) !== 'alert') throw capInvalid(`<${rootKey}>`, 'the root element must be <alert>');
  const root = (doc[rootKey] as XmlValue[])[0];
  if (typeof root !== 'object' || Array.isArray(root)) throw capInvalid('<alert>', 'is empty');
  const prefix = rootKey.includes(':') ? rootKey.slice(0, rootKey.indexOf(':')) : '';
  const ns = root[prefix ? `@_xmlns:${prefix}` : '@_xmlns'];
  if (ns !== CAP_NAMESPACE) {
    throw capInvalid(`<${rootKey}> xmlns`, `namespace must be ${CAP_NAMESPACE} (got ${typeof ns === 'string' ? ns : 'none'})`);
  }
  return { json: element(root, ''), text };
}

function element(node: XmlNode, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const name = localName(key);
    const items = (value as XmlValue[]).map((v, i) => {
      const field = `${path}${name}${REPEATED.has(name) ? `[${i}]` : ''}`;
      if (typeof v === 'string') return decodeXmlText(v, field);
      const node = v as XmlNode;
      const children = Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text');
      if (!children.length) return decodeXmlText(typeof node['#text'] === 'string' ? node['#text'] : '', field);
      return element(node, `${field}.`);
    });
    if (!REPEATED.has(name) && items.length > 1) throw capInvalid(`${path}${name}`, 'may appear only once');
    out[name] = REPEATED.has(name) ? items : items[0];
  }
  return out;
}
