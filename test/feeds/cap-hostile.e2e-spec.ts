import { hostileCorpus } from '../fixtures/cap/hostile-corpus';
import { TestApp } from '../support/app';
import { bootWithFixtures } from '../support/fixtures';
import { countWarnings, postXml } from './warnings.fixtures';

describe('hostile CAP XML is refused before anything expands', () => {
  let t: TestApp;
  let tok: Record<string, string>;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });

  afterAll(() => t.close());

  it.each(hostileCorpus().map((c) => [c.name, c] as const))('%s: 4xx with the reason, nothing stored', async (_name, c) => {
    const before = await countWarnings(t);
    const res = await postXml(t, { Authorization: `Bearer ${tok.duty}` }, c.body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: c.status, code: c.code });
    expect(res.body.details[0].field).toMatch(c.field);
    expect(await countWarnings(t)).toEqual(before);
  });

  it('still answers a good alert after the whole corpus (the event loop was never held)', async () => {
    const ok = Buffer.from(
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>after-hostile</identifier><sender>a@b</sender>' +
        '<sent>2027-06-20T08:00:00+08:00</sent><status>Test</status><msgType>Alert</msgType><scope>Public</scope></alert>',
    );
    const res = await postXml(t, { Authorization: `Bearer ${tok.duty}` }, ok);
    expect(res.status).toBe(201);
  });
});
