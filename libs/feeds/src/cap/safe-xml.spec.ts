import { parseCapCircle, parseCapPolygon, polygonWkt } from './cap-geometry';
import { formatCapTime, parseCapTime } from './cap-time';
import { decodeXmlText, parseSafeXml } from './safe-xml';

const limits = { maxBytes: 65536, maxDepth: 8 };

describe('safe XML', () => {
  it('parses plain XML with attributes and every element as a list', () => {
    const { doc } = parseSafeXml(Buffer.from('<?xml version="1.0"?><a x="1"><b>t</b><b>u</b><c/></a>'), limits);
    expect(doc).toEqual({ a: [{ '@_x': '1', b: ['t', 'u'], c: [''] }] });
  });

  it.each([
    ['DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['mixed-case doctype', '<!DocType a><a/>', /DOCTYPE/],
    ['ENTITY', '<a><!ENTITY x "y"></a>', /ENTITY/],
    ['too deep', `${'<a>'.repeat(9)}${'</a>'.repeat(9)}`, /deeper than 8/],
    ['references', `<a>${'&amp;'.repeat(2001)}</a>`, /references/],
    ['long tag', `<a x="${'y'.repeat(9000)}"/>`, /start tag longer/],
    ['not UTF-8', Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]), /UTF-8/],
  ])('refuses %s before parsing', (_name, body, message) => {
    expect(() => parseSafeXml(Buffer.isBuffer(body) ? body : Buffer.from(body), limits)).toThrow(message);
  });

  it('counts self-closing tags as no nesting', () => {
    expect(() => parseSafeXml(Buffer.from(`<a>${'<b/>'.repeat(100)}</a>`), limits)).not.toThrow();
  });

  it('decodes predefined entities and character references only', () => {
    expect(decodeXmlText('a &lt;b&gt; &amp; &#x41;&#66; &quot;', 'f')).toBe('a <b> & AB "');
    expect(() => decodeXmlText('&xxe;', 'note')).toThrow('note: undefined entity &xxe;');
  });
});

describe('CAP geometry and time', () => {
  it('reads polygons as lat,lon and writes WKT as lon lat', () => {
    const p = parseCapPolygon('28.8,121.1 28.8,121.2 28.9,121.2 28.8,121.1', 'polygon');
    expect(polygonWkt(p)).toBe('POLYGON((121.1 28.8,121.2 28.8,121.2 28.9,121.1 28.8))');
    expect(() => parseCapPolygon('121.1,28.8 121.2,28.8 121.2,28.9 121.1,28.8', 'p')).toThrow(/latitude 121.1/);
  });

  it('reads circles in kilometres', () => {
    expect(parseCapCircle('32.9525,-115.5527 0', 'c')).toEqual({ lat: 32.9525, lon: -115.5527, radiusKm: 0 });
    expect(() => parseCapCircle('32.9,-115.5 -1', 'c')).toThrow(/radius/);
  });

  it('needs a zone on every time and writes Beijing time', () => {
    expect(parseCapTime('2003-06-17T14:57:00-07:00', 'sent')).toBe('2003-06-17T21:57:00.000Z');
    expect(() => parseCapTime('2003-06-17T14:57:00', 'sent')).toThrow('sent: must carry a time zone');
    expect(formatCapTime('2003-06-17T21:57:00.000Z')).toBe('2003-06-18T05:57:00+08:00');
  });
});
