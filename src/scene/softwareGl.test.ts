import { describe, expect, it } from 'vitest';
import { DoubleSide, MeshBasicMaterial, MeshLambertMaterial, MeshStandardMaterial, ShaderLib, Texture } from 'three';
import { attachOverlay, newOverlay } from './overlay';
import { HEAVY_SCENE_PIXEL_BUDGET, pixelBudgetFor, softwareDpr, SOFTWARE_PIXEL_BUDGET, toLambert } from './softwareGl';

describe('toLambert (light render profile)', () => {
  it('keeps what an operator reads: colour, emissive, texture, transparency, sides', () => {
    const map = new Texture();
    const pbr = new MeshStandardMaterial({
      name: 'TankShell',
      color: '#336699',
      emissive: '#110000',
      emissiveIntensity: 0.5,
      map,
      transparent: true,
      opacity: 0.4,
      side: DoubleSide,
      depthWrite: false,
    });
    const l = toLambert(pbr) as MeshLambertMaterial;
    expect(l).toBeInstanceOf(MeshLambertMaterial);
    expect(l.name).toBe('TankShell');
    expect(l.color.getHexString()).toBe(pbr.color.getHexString());
    expect(l.emissive.getHexString()).toBe('110000');
    expect(l.emissiveIntensity).toBe(0.5);
    expect(l.map).toBe(map);
    expect([l.transparent, l.opacity, l.side, l.depthWrite]).toEqual([true, 0.4, DoubleSide, false]);
  });

  it('owns its colours: recolouring the copy leaves the original alone', () => {
    const pbr = new MeshStandardMaterial({ color: '#808080' });
    const l = toLambert(pbr) as MeshLambertMaterial;
    l.color.set('#ff0000');
    l.emissive.set('#00ff00');
    expect(pbr.color.getHexString()).toBe('808080');
    expect(pbr.emissive.getHexString()).toBe('000000');
  });

  it('a Lambert copy of a textured part takes the effect overlay, so colours read over its texture', () => {
    const map = new Texture();
    const l = toLambert(new MeshStandardMaterial({ map }));
    const overlay = newOverlay();
    attachOverlay(l, overlay);
    const shader = { uniforms: {}, fragmentShader: ShaderLib.lambert.fragmentShader, vertexShader: '' };
    l.onBeforeCompile(shader as never, undefined as never);
    expect((l as MeshLambertMaterial).map).toBe(map);
    expect((shader.uniforms as Record<string, unknown>).twTint).toBe(overlay.tint);
    expect(shader.fragmentShader).toContain('mix( diffuseColor.rgb, twTint.rgb, twTint.a )');
  });

  it('copies other kinds of material as they are', () => {
    const basic = new MeshBasicMaterial({ color: '#123456' });
    const copy = toLambert(basic);
    expect(copy).toBeInstanceOf(MeshBasicMaterial);
    expect(copy).not.toBe(basic);
  });
});

describe('softwareDpr', () => {
  it('keeps a software frame within the pixel budget', () => {
    const dpr = softwareDpr(1000, 823);
    expect(1000 * dpr * 823 * dpr).toBeLessThanOrEqual(SOFTWARE_PIXEL_BUDGET * 1.01);
    expect(dpr).toBeGreaterThan(0.38);
  });
  it('never renders above 1 (small embeds stay sharp) nor below 0.3 (wall displays stay legible)', () => {
    expect(softwareDpr(320, 240)).toBe(1);
    expect(softwareDpr(3840, 2160)).toBe(0.3);
    expect(softwareDpr(0, 0)).toBe(1);
  });
});

describe('pixelBudgetFor', () => {
  it('gives geometry-bound scenes (many triangles) more pixels: fewer would not speed them up', () => {
    expect(pixelBudgetFor(16_000)).toBe(SOFTWARE_PIXEL_BUDGET);
    expect(pixelBudgetFor(480_000)).toBe(HEAVY_SCENE_PIXEL_BUDGET);
    expect(softwareDpr(1000, 823, pixelBudgetFor(480_000))).toBeGreaterThan(softwareDpr(1000, 823));
  });
});
