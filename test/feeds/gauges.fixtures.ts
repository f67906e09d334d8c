import request from 'supertest';
import type { TestApp } from '../support/app';
import { TREE } from '../support/fixtures';

/**
 * Rain gauges about 1–2 km apart around 古城街道 (townA) and one in 东塍镇 (townB), plus a
 * water-level gauge. Distances matter: the neighbour checks use feeds.quality.neighbourRadiusKm (10).
 */
export const GAUGES = [
  { code: 'R-A1', name: '古城一号雨量站', point: [121.1, 28.85], divisionCode: TREE.townA, kind: 'rain' },
  { code: 'R-A2', name: '古城二号雨量站', point: [121.12, 28.86], divisionCode: TREE.villageA, kind: 'rain' },
  { code: 'R-A3', name: '古城三号雨量站', point: [121.11, 28.87], divisionCode: TREE.townA, kind: 'rain' },
  { code: 'R-B1', name: '东塍雨量站', point: [121.14, 28.85], divisionCode: TREE.townB, kind: 'rain' },
  { code: 'W-A1', name: '灵江水位站', point: [121.105, 28.855], divisionCode: TREE.townA, kind: 'water_level' },
] as const;

export async function createGauges(t: TestApp, token: string): Promise<void> {
  for (const g of GAUGES) {
    await request(t.http)
      .post('/api/v1/stations')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...g, point: { type: 'Point', coordinates: g.point }, owner: 'water_resources' })
      .expect(201);
  }
}

/** An API key with feeds:write, made by the commander as a machine client would get one. */
export async function feedsKey(t: TestApp, token: string): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/api-keys')
    .set('Authorization', `Bearer ${token}`)
    .send({ name: 'gauge gateway', scopes: ['feeds:write'] })
    .expect(201);
  return res.body.key as string;
}

/** ISO time `minutes` after a base, with the Beijing offset, as gauges send it. */
export function bjt(base: Date, minutes: number): string {
  const d = new Date(base.getTime() + minutes * 60_000 + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}
