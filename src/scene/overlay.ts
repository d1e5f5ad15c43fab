/**
 * How a bound part shows its binding colour, its stale wash and its alarm glow, whatever its material:
 * a few lines added to three's own fragment shader (standard, physical, Lambert, Phong, basic), after
 * the texture and vertex colours are applied. Multiplying the material colour, as before, left a
 * black-textured part black whatever the colour; the overlay replaces the part's colour *and* texture
 * by the effect colour (by its coverage), so red reads as red on black, white and textured parts
 * alike, in the full and in the light (Lambert) render profile. Writing a uniform never recompiles.
 */
import { Vector4, type Material } from 'three';
import { STALE_GREY, STALE_WASH, staleRgb } from './effects';

/** The uniforms one bound node's materials share (the node's look is written once, not per material). */
export interface Overlay {
  /** Linear RGB of the effect colour, and how much of the part's own look it replaces (0..1). */
  tint: { value: Vector4 };
  /** Alarm glow colour (linear RGB) and strength (0..1): pulls the part to that colour and lights it. */
  glow: { value: Vector4 };
  /** 1 while the part's data is stale: drawn washed out (the same wash as `staleRgb`). */
  stale: { value: number };
}

export function newOverlay(): Overlay {
  // Coverage and strength 0 (a Vector4's w starts at 1): the part's own look until an effect is on.
  return { tint: { value: new Vector4(0, 0, 0, 0) }, glow: { value: new Vector4(0, 0, 0, 0) }, stale: { value: 0 } };
}

const glsl = (x: number) => x.toFixed(4);
const DECLARE = /* glsl */ `#include <common>
uniform vec4 twTint;
uniform vec4 twGlow;
uniform float twStale;`;
const DIFFUSE = /* glsl */ `#include <color_fragment>
diffuseColor.rgb = mix( diffuseColor.rgb, twTint.rgb, twTint.a );
if ( twStale > 0.5 ) {
  float twGrey = dot( diffuseColor.rgb, vec3( 0.2126, 0.7152, 0.0722 ) );
  diffuseColor.rgb = mix( diffuseColor.rgb, vec3( twGrey ), ${glsl(STALE_GREY)} ) * ${glsl(1 - STALE_WASH)} + ${glsl(STALE_WASH)};
}
diffuseColor.rgb = mix( diffuseColor.rgb, twGlow.rgb, twGlow.a );`;
const EMISSIVE = /* glsl */ `#include <emissivemap_fragment>
totalEmissiveRadiance += twGlow.rgb * twGlow.a;`;
// A metal reflects its colour only as highlights (glTF's default metalness is 1): with no environment
// map a tinted metal part stays dark. The effect colour is drawn as paint, not as metal.
const METALNESS = /* glsl */ `#include <metalnessmap_fragment>
metalnessFactor *= 1.0 - max( twTint.a, twGlow.a );`;

/**
 * Three's fragment shader with the overlay added, or null when it lacks the chunks the overlay hooks
 * into (a custom shader): such a material keeps its own look. Unlit materials (no emissive chunk)
 * still get the tint, wash and the glow's colour.
 */
export function overlayShader(fragment: string): string | null {
  if (!fragment.includes('#include <common>') || !fragment.includes('#include <color_fragment>')) return null;
  return fragment
    .replace('#include <common>', DECLARE)
    .replace('#include <color_fragment>', DIFFUSE)
    .replace('#include <emissivemap_fragment>', EMISSIVE)
    .replace('#include <metalnessmap_fragment>', METALNESS);
}

const overlays = new WeakMap<Material, Overlay>();

/**
 * Gives a material (a copy the binding owns) the node's overlay. One program for every overlaid
 * material of a kind: the cache key names the patch, not the closure.
 */
export function attachOverlay(material: Material, overlay: Overlay): void {
  overlays.set(material, overlay);
  material.onBeforeCompile = (shader) => {
    const fragment = overlayShader(shader.fragmentShader);
    if (fragment === null) return;
    shader.uniforms.twTint = overlay.tint;
    shader.uniforms.twGlow = overlay.glow;
    shader.uniforms.twStale = overlay.stale;
    shader.fragmentShader = fragment;
  };
  material.customProgramCacheKey = () => 'twinview-overlay-1';
  material.needsUpdate = true;
}

export function overlayOf(material: Material): Overlay | undefined {
  return overlays.get(material);
}

/**
 * The diffuse colour the overlay draws on a part whose own colour (texture included) is `own`, into
 * `out`: the shader's arithmetic on the CPU, for tests and for comparing with instanced parts.
 */
export function overlaidRgb(
  overlay: Overlay,
  own: { r: number; g: number; b: number },
  out: { r: number; g: number; b: number },
): void {
  const t = overlay.tint.value;
  let r = own.r + (t.x - own.r) * t.w;
  let g = own.g + (t.y - own.g) * t.w;
  let b = own.b + (t.z - own.b) * t.w;
  if (overlay.stale.value > 0.5) {
    staleRgb(r, g, b, out);
    r = out.r;
    g = out.g;
    b = out.b;
  }
  const l = overlay.glow.value;
  out.r = r + (l.x - r) * l.w;
  out.g = g + (l.y - g) * l.w;
  out.b = b + (l.z - b) * l.w;
}
