import { MeshLambertMaterial, type Material } from 'three';

/**
 * Whether WebGL runs in software (SwiftShader, llvmpipe: headless browsers, VMs, kiosks without a GPU).
 * There every pixel is shaded on the CPU, so the scene turns multisampling off, renders fewer pixels
 * and draws with cheaper materials.
 */
export function isSoftwareRenderer(): boolean {
  if (typeof document === 'undefined') return false;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|softpipe/i.test(name);
}

/**
 * Pixels a software frame may shade. Fill cost grows with the pixel count, and the page's frame (and so
 * the publish-to-pixel delay) waits for it: about 130,000 pixels kept the pump station near 50 frames/s
 * on two cores (`npm run bench -- scene`), where 0.6 of a 1000 x 820 canvas (300,000) managed about 40.
 */
export const SOFTWARE_PIXEL_BUDGET = 130_000;

/**
 * Scenes that draw more triangles than this per frame are bound by geometry, not by pixels (10,000
 * instanced panels draw 240,000): fewer pixels would not make their frames faster, only blur a field
 * of thin parts into noise. They get the larger budget.
 */
export const HEAVY_SCENE_TRIANGLES = 100_000;
export const HEAVY_SCENE_PIXEL_BUDGET = 450_000;

/** The pixel budget for a scene that drew `triangles` in its last frame. */
export function pixelBudgetFor(triangles: number): number {
  return triangles > HEAVY_SCENE_TRIANGLES ? HEAVY_SCENE_PIXEL_BUDGET : SOFTWARE_PIXEL_BUDGET;
}

/**
 * The render scale for a canvas of `width` x `height` CSS pixels in software WebGL: as sharp as the
 * pixel budget allows, never above 1 and never below 0.3 (text stays sharp: labels are HTML).
 */
export function softwareDpr(width: number, height: number, budget = SOFTWARE_PIXEL_BUDGET): number {
  const area = Math.max(1, width * height);
  const dpr = Math.sqrt(budget / area);
  return Math.min(1, Math.max(0.3, Math.floor(dpr * 100) / 100));
}

let light: boolean | null = null;

/**
 * The light render profile: software WebGL, unless `?render=full` asks for full quality anyway
 * (documentation pictures, screenshots). Decided once per page.
 */
export function lightRendering(): boolean {
  if (light === null) {
    light = isSoftwareRenderer() && new URLSearchParams(globalThis.location?.search ?? '').get('render') !== 'full';
  }
  return light;
}

type Standardish = Material & {
  isMeshStandardMaterial?: boolean;
  color?: MeshLambertMaterial['color'];
  emissive?: MeshLambertMaterial['emissive'];
  emissiveIntensity?: number;
  map?: MeshLambertMaterial['map'];
  emissiveMap?: MeshLambertMaterial['emissiveMap'];
  alphaMap?: MeshLambertMaterial['alphaMap'];
  vertexColors?: boolean;
  flatShading?: boolean;
};

/**
 * A Lambert copy of a glTF PBR material for the light profile. Physically based shading costs about
 * a quarter of a software frame; diffuse shading keeps the colours, textures, transparency and the
 * emissive channel that bindings drive, which is what an operator reads from the scene. Always a new
 * material (other kinds are cloned as they are).
 */
export function toLambert(material: Material): Material {
  const m = material as Standardish;
  if (!m.isMeshStandardMaterial) return material.clone();
  const lambert = new MeshLambertMaterial({
    name: m.name,
    color: m.color,
    emissive: m.emissive,
    emissiveIntensity: m.emissiveIntensity,
    map: m.map ?? null,
    emissiveMap: m.emissiveMap ?? null,
    alphaMap: m.alphaMap ?? null,
    vertexColors: m.vertexColors,
    flatShading: m.flatShading,
    transparent: m.transparent,
    opacity: m.opacity,
    alphaTest: m.alphaTest,
    side: m.side,
    depthWrite: m.depthWrite,
    depthTest: m.depthTest,
    visible: m.visible,
  });
  lambert.userData = { ...m.userData };
  return lambert;
}

let partial: boolean | null = null;

/**
 * Whether frames that change a few parts may redraw only around them (damage.ts) under the light
 * profile. `?frames=whole` draws every frame whole: a diagnostic for a driver that shows trails, and
 * the baseline of `npm run bench -- frame-hold`. Decided once per page.
 */
export function partialFramesAllowed(): boolean {
  if (partial === null) partial = new URLSearchParams(globalThis.location?.search ?? '').get('frames') !== 'whole';
  return partial;
}
