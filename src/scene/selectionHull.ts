/**
 * The selection rim's pieces (SelectionOutline.tsx draws them): materials and geometry, no React.
 */
import {
  AlwaysStencilFunc,
  BackSide,
  BufferGeometry,
  Color,
  Mesh,
  MeshBasicMaterial,
  NotEqualStencilFunc,
  ReplaceStencilOp,
  ShaderMaterial,
  SkinnedMesh,
  Vector2,
} from 'three';
import { toCreasedNormals } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

/** Selection blue: not a state colour of the ISA-101 palette, so it never reads as an alarm. */
export const SELECTION_COLOR = new Color('#1f5fa8');
/** Outline width in CSS pixels, whatever the distance to the part. */
const OUTLINE_PX = 3;

/**
 * An inverted hull: the part's back faces, pushed out along their normals by a fixed number of
 * screen pixels and drawn in one colour, show as a rim around the part's silhouette. A stencil mask
 * of the part, drawn first, keeps the rim outside the part as a whole (without it, every fin of a
 * motor would get its own rim). It costs the selected part's triangles twice more, and no
 * full-screen pass, which software WebGL could not afford at the frame rates the scene needs.
 * Drawn after the opaque scene (render order), before transparent parts.
 */
export const MASK_ORDER = 1000;
export const HULL_ORDER = 1001;
const STENCIL_SELECTED = 1;
// Three's skinning chunks: on a skinned part (USE_SKINNING, set by three for a SkinnedMesh) the rim
// follows the bones; elsewhere they compile to nothing.
const HULL_VERTEX = /* glsl */ `
#include <common>
#include <skinning_pars_vertex>
uniform vec2 viewport;
uniform float width;
void main() {
  #include <beginnormal_vertex>
  #include <skinbase_vertex>
  #include <skinnormal_vertex>
  #include <begin_vertex>
  #include <skinning_vertex>
  vec4 clip = projectionMatrix * modelViewMatrix * vec4(transformed, 1.0);
  vec4 along = projectionMatrix * vec4(normalize(normalMatrix * objectNormal), 0.0);
  vec2 dir = along.xy;
  float len = length(dir);
  if (len > 1e-6) clip.xy += dir / len * (2.0 * width / viewport) * clip.w;
  gl_Position = clip;
}
`;
const HULL_FRAGMENT = /* glsl */ `
uniform vec3 color;
void main() {
  gl_FragColor = vec4(color, 1.0);
  #include <colorspace_fragment>
}
`;

export function hullMaterial(): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: {
      color: { value: SELECTION_COLOR },
      width: { value: OUTLINE_PX },
      viewport: { value: new Vector2(1, 1) },
    },
    vertexShader: HULL_VERTEX,
    fragmentShader: HULL_FRAGMENT,
    side: BackSide,
    // The same blue as the frame around instances: converted for the screen, not tone-mapped.
    toneMapped: false,
    stencilWrite: true, // enables the stencil test; the ops keep the buffer as it is
    stencilRef: STENCIL_SELECTED,
    stencilFunc: NotEqualStencilFunc,
  });
}

/** Marks the part's pixels in the stencil buffer, whatever is in front: nothing drawn in colour or depth. */
export function maskMaterial(): MeshBasicMaterial {
  return new MeshBasicMaterial({
    colorWrite: false,
    depthWrite: false,
    depthTest: false,
    stencilWrite: true,
    stencilRef: STENCIL_SELECTED,
    stencilFunc: AlwaysStencilFunc,
    stencilZPass: ReplaceStencilOp,
  });
}

/**
 * The hull's geometry: the mesh's positions with normals averaged across every crease, so the rim
 * does not split open at the corners of boxes. Its own object: the part's geometry is not touched.
 */
export function hullGeometry(source: BufferGeometry): BufferGeometry {
  const g = new BufferGeometry();
  // A skinned part's rim is skinned too: it needs the part's joints and weights.
  const names = ['position', 'skinIndex', 'skinWeight'].filter((n) => source.getAttribute(n) !== undefined);
  if (source.index) {
    // Made non-indexed (new arrays) on the way: nothing of the part's is kept.
    for (const n of names) g.setAttribute(n, source.getAttribute(n));
    g.setIndex(source.index);
  } else {
    // Kept as they are: copies, or disposing the rim would free the part's own vertex buffers.
    for (const n of names) g.setAttribute(n, source.getAttribute(n).clone());
  }
  return toCreasedNormals(g, Math.PI);
}

/**
 * The two pieces of a part's rim, to add as children of `part`: the stencil mask (the part's own
 * geometry) and the hull (its own geometry, `hullGeometry`). On a skinned part both are skinned
 * meshes bound to the part's skeleton, so the rim is drawn where the bones put the part, not in its
 * bind pose. Never pickable.
 */
export function rimMeshes(part: Mesh, hull: ShaderMaterial, mask: MeshBasicMaterial): [Mesh, Mesh] {
  const geometry = part.geometry as BufferGeometry;
  const made: [Mesh, Mesh] =
    part instanceof SkinnedMesh
      ? [new SkinnedMesh(geometry, mask), new SkinnedMesh(hullGeometry(geometry), hull)]
      : [new Mesh(geometry, mask), new Mesh(hullGeometry(geometry), hull)];
  made[0].renderOrder = MASK_ORDER;
  made[1].renderOrder = HULL_ORDER;
  for (const m of made) {
    m.userData.selectionHull = true;
    m.raycast = () => {};
    if (m instanceof SkinnedMesh && part instanceof SkinnedMesh) {
      // Children of the part with no transform of their own: the part's bind matrix fits them as it is.
      m.bind(part.skeleton, part.bindMatrix);
      m.bindMode = part.bindMode;
      // Their bounds would be measured in bind pose; the part itself is culled correctly.
      m.frustumCulled = false;
    }
  }
  return made;
}
