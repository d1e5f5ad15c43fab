/**
 * A small skinned arm for unit tests (no file, no loader): a 2 m bar along +y whose upper half is
 * weighted to the Elbow bone (at y = 1), its lower half to the Shoulder bone at the origin.
 */
import {
  Bone,
  BoxGeometry,
  Float32BufferAttribute,
  Group,
  MeshStandardMaterial,
  Skeleton,
  SkinnedMesh,
  Uint16BufferAttribute,
} from 'three';

export function skinnedArm(): { root: Group; mesh: SkinnedMesh; shoulder: Bone; elbow: Bone } {
  const geometry = new BoxGeometry(0.2, 2, 0.2, 1, 4, 1).translate(0, 1, 0);
  const position = geometry.getAttribute('position');
  const joints: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < position.count; i++) {
    joints.push(position.getY(i) > 1 ? 1 : 0, 0, 0, 0);
    weights.push(1, 0, 0, 0);
  }
  geometry.setAttribute('skinIndex', new Uint16BufferAttribute(joints, 4));
  geometry.setAttribute('skinWeight', new Float32BufferAttribute(weights, 4));
  const shoulder = new Bone();
  shoulder.name = 'Shoulder';
  const elbow = new Bone();
  elbow.name = 'Elbow';
  elbow.position.y = 1;
  shoulder.add(elbow);
  const mesh = new SkinnedMesh(geometry, new MeshStandardMaterial({ color: '#808080' }));
  mesh.name = 'ArmSkin';
  const arm = new Group();
  arm.name = 'Arm';
  arm.add(shoulder, mesh);
  const root = new Group();
  root.add(arm);
  root.updateMatrixWorld(true);
  mesh.bind(new Skeleton([shoulder, elbow]));
  return { root, mesh, shoulder, elbow };
}
