import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import {
  AlwaysStencilFunc,
  BackSide,
  Box3,
  Box3Helper,
  BufferGeometry,
  Color,
  InstancedMesh,
  Mesh,
  MeshBasicMaterial,
  NotEqualStencilFunc,
  ReplaceStencilOp,
  ShaderMaterial,
  Vector2,
} from 'three';
import { toCreasedNormals } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { useApp } from '../store/app';
import { boundsOf, findNode, onRegistryChange } from './sceneRegistry';

/** Selection blue: not a state colour of the ISA-101 palette, so it never reads as an alarm. */
const SELECTION_COLOR = new Color('#1f5fa8');
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
const MASK_ORDER = 1000;
const HULL_ORDER = 1001;
const STENCIL_SELECTED = 1;
const HULL_VERTEX = /* glsl */ `
uniform vec2 viewport;
uniform float width;
void main() {
  vec4 clip = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  vec4 along = projectionMatrix * vec4(normalize(normalMatrix * normal), 0.0);
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

function hullMaterial(): ShaderMaterial {
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
function maskMaterial(): MeshBasicMaterial {
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
function hullGeometry(source: BufferGeometry): BufferGeometry {
  const g = new BufferGeometry();
  g.setAttribute('position', source.getAttribute('position'));
  if (source.index) g.setIndex(source.index);
  return toCreasedNormals(g, Math.PI);
}

/**
 * Marks the selected part: a rim around the meshes of a selected node (it follows the part as
 * bindings move, spin or hide it), or a frame around a selected instance of an instanced asset.
 * Draws nothing when nothing is selected.
 */
export function SelectionOutline() {
  const selected = useApp((s) => s.selected);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const size = useThree((s) => s.size);
  const material = useMemo(hullMaterial, []);
  const mask = useMemo(maskMaterial, []);
  const frame = useMemo(() => {
    const h = new Box3Helper(new Box3(), SELECTION_COLOR);
    h.name = 'selection-outline';
    h.visible = false;
    h.raycast = () => {}; // never pickable
    return h;
  }, []);

  useEffect(() => {
    scene.add(frame);
    return () => {
      scene.remove(frame);
    };
  }, [scene, frame]);

  useEffect(() => {
    material.uniforms.viewport.value.set(Math.max(1, size.width), Math.max(1, size.height));
    invalidate();
  }, [material, size.width, size.height, invalidate]);

  useEffect(
    () => () => {
      material.dispose();
      mask.dispose();
    },
    [material, mask],
  );

  useEffect(() => {
    let hulls: Mesh[] = [];
    const clear = () => {
      for (const hull of hulls) {
        hull.removeFromParent();
        // The mask shares the part's own geometry; only the hull's copy is ours to free.
        if (hull.material !== mask) hull.geometry.dispose();
      }
      hulls = [];
    };
    const update = () => {
      clear();
      frame.visible = false;
      const found = selected ? findNode(selected) : null;
      if (found?.ok) {
        const meshes: Mesh[] = [];
        found.node.traverse((o) => {
          if (o instanceof Mesh && !(o instanceof InstancedMesh) && !o.userData.selectionHull) meshes.push(o);
        });
        hulls = meshes.flatMap((mesh) => {
          const made = [
            new Mesh(mesh.geometry as BufferGeometry, mask),
            new Mesh(hullGeometry(mesh.geometry as BufferGeometry), material),
          ];
          made[0].renderOrder = MASK_ORDER;
          made[1].renderOrder = HULL_ORDER;
          for (const m of made) {
            m.userData.selectionHull = true;
            m.raycast = () => {}; // never pickable
            mesh.add(m);
          }
          return made;
        });
      }
      if (hulls.length === 0 && selected && boundsOf(selected, frame.box)) {
        // An instance, or a node without meshes: its bounding frame, a little larger so it does not
        // z-fight with the faces.
        frame.box.expandByScalar(0.05);
        frame.visible = true;
      }
      invalidate();
    };
    update();
    const unsubscribe = onRegistryChange(update);
    return () => {
      unsubscribe();
      clear();
      invalidate();
    };
  }, [selected, frame, material, mask, invalidate]);
  return null;
}
