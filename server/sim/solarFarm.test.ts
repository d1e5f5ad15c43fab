import { describe, expect, it } from 'vitest';
import { SolarFarm } from './solarFarm';

describe('SolarFarm', () => {
  const farm = new SolarFarm({ seed: 7, deadShare: 0.01 });

  it('carries one reading per panel of a row in one message under 4 KB', () => {
    const m = farm.rowMessage(42, 1_700_000_000_000);
    expect(m.topic).toBe('solar/field/42/power');
    expect(new TextEncoder().encode(m.payload).byteLength).toBeLessThan(4096);
    const body = JSON.parse(m.payload) as { ts: number; p: number[] };
    expect(body.ts).toBe(1_700_000_000_000);
    expect(body.p).toHaveLength(100);
  });

  it('reports dead panels as 0 W and live ones within their rating', () => {
    let dead = 0;
    for (let row = 0; row < farm.rows; row++) {
      const p = (JSON.parse(farm.rowMessage(row, 0).payload) as { p: number[] }).p;
      p.forEach((w, c) => {
        if (farm.isDead(row, c)) {
          dead++;
          expect(w).toBe(0);
        } else {
          expect(w).toBeGreaterThan(100);
          expect(w).toBeLessThanOrEqual(400);
        }
      });
    }
    expect(dead).toBeGreaterThan(0);
  });

  it('is repeatable from its seed', () => {
    const a = new SolarFarm({ seed: 3 }).rowMessage(5, 1000).payload;
    expect(new SolarFarm({ seed: 3 }).rowMessage(5, 1000).payload).toBe(a);
  });
});
