import { describe, expect, it } from 'vitest';
import { Color, MeshLambertMaterial, MeshStandardMaterial, ShaderLib, Texture } from 'three';
import { attachOverlay, newOverlay, overlaidRgb, overlayOf, overlayShader } from './overlay';

describe('overlayShader', () => {
  for (const kind of ['standard', 'physical', 'lambert', 'phong'] as const) {
    it(`tints after texture and vertex colours, and adds the glow as light, in three's ${kind} shader`, () => {
      const src = overlayShader(ShaderLib[kind].fragmentShader)!;
      expect(src).toContain('uniform vec4 twTint;');
      const tint = src.indexOf('mix( diffuseColor.rgb, twTint.rgb');
      expect(tint).toBeGreaterThan(src.indexOf('#include <map_fragment>'));
      expect(tint).toBeGreaterThan(src.indexOf('vColor') > 0 ? 0 : -1);
      expect(src).toContain('totalEmissiveRadiance += twGlow.rgb * twGlow.a;');
    });
  }

  it('draws the effect colour as paint on a metal (glTF’s default metalness is 1)', () => {
    const src = overlayShader(ShaderLib.standard.fragmentShader)!;
    const metal = src.indexOf('metalnessFactor *= 1.0 - max( twTint.a, twGlow.a );');
    expect(metal).toBeGreaterThan(src.indexOf('float metalnessFactor'));
  });

  it('tints an unlit (basic) material too, with no emissive to light', () => {
    const src = overlayShader(ShaderLib.basic.fragmentShader)!;
    expect(src).toContain('mix( diffuseColor.rgb, twTint.rgb, twTint.a )');
    expect(src).not.toContain('totalEmissiveRadiance +=');
  });

  it('leaves a custom shader without three’s chunks alone', () => {
    expect(overlayShader('void main() { gl_FragColor = vec4(1.0); }')).toBeNull();
  });
});

describe('attachOverlay', () => {
  it('shares one program for every overlaid material and the node’s uniforms with each', () => {
    const overlay = newOverlay();
    const a = new MeshStandardMaterial();
    const b = new MeshLambertMaterial();
    attachOverlay(a, overlay);
    attachOverlay(b, overlay);
    expect(a.customProgramCacheKey()).toBe(b.customProgramCacheKey());
    const shader = {
      uniforms: {},
      fragmentShader: ShaderLib.standard.fragmentShader,
      vertexShader: '',
    } as unknown as Parameters<typeof a.onBeforeCompile>[0];
    a.onBeforeCompile(shader, undefined as never);
    expect((shader.uniforms as Record<string, unknown>).twTint).toBe(overlay.tint);
    expect(overlayOf(b)).toBe(overlay);
  });
});

describe('overlaidRgb', () => {
  const red = new Color('#d62828');
  it('draws the effect colour on a black-textured, a white and a grey part alike', () => {
    const overlay = newOverlay();
    overlay.tint.value.set(red.r, red.g, red.b, 1);
    for (const own of ['#000000', '#ffffff', '#808080']) {
      const out = new Color();
      overlaidRgb(overlay, new Color(own), out);
      expect(out.getHexString(), own).toBe(red.getHexString());
    }
  });

  it('pulls a part fully to the glow colour while a blinking alarm is lit, whatever its texture', () => {
    const overlay = newOverlay();
    overlay.glow.value.set(red.r, red.g, red.b, 1);
    const out = new Color();
    overlaidRgb(overlay, new Color('#000000'), out);
    expect(out.equals(red)).toBe(true);
    const material = new MeshStandardMaterial({ map: new Texture() });
    attachOverlay(material, overlay);
    expect(material.map).not.toBeNull(); // the texture stays: the overlay covers it while an effect is on
  });
});
