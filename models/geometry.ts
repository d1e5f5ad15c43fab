/**
 * Small mesh builders for the demo models: positions, normals and triangle indices, in metres, Y up.
 *
 * Everything is plain arrays and plain maths, so a build is deterministic (same input, same bytes).
 * Winding is counter-clockwise seen from the side the normals point to (glTF's front face).
 */

export type Vec3 = readonly [number, number, number];

export interface MeshData {
  readonly positions: number[];
  readonly normals: number[];
  readonly indices: number[];
}

/** An affine transform: a 3x3 linear part (row-major) and a translation. */
export interface Affine {
  readonly m: readonly number[];
  readonly t: Vec3;
}

const TAU = Math.PI * 2;

export function emptyMesh(): MeshData {
  return { positions: [], normals: [], indices: [] };
}

export function vertexCount(mesh: MeshData): number {
  return mesh.positions.length / 3;
}

export function triangleCount(mesh: MeshData): number {
  return mesh.indices.length / 3;
}

/**
 * Triangles whose winding disagrees with their vertex normals (they would be culled from the side
 * they are lit from, or lit from behind). Degenerate triangles are ignored.
 */
export function misfacingTriangles(mesh: MeshData): number[] {
  const { positions: p, normals: n, indices } = mesh;
  const at = (a: readonly number[], i: number): Vec3 => [a[i * 3], a[i * 3 + 1], a[i * 3 + 2]];
  const bad: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    const [i, j, k] = [indices[t], indices[t + 1], indices[t + 2]];
    const face = cross(sub(at(p, j), at(p, i)), sub(at(p, k), at(p, i)));
    if (length(face) < 1e-12) continue;
    if (dot(face, add(add(at(n, i), at(n, j)), at(n, k))) <= 0) bad.push(t / 3);
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Vectors and transforms

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scaled(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function length(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function normalize(a: Vec3): Vec3 {
  const l = length(a);
  if (l === 0) throw new Error('cannot normalize a zero vector');
  return scaled(a, 1 / l);
}

export const identity: Affine = { m: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] };

export function translate(x: number, y: number, z: number): Affine {
  return { m: identity.m, t: [x, y, z] };
}

export function scale(x: number, y: number, z: number): Affine {
  return { m: [x, 0, 0, 0, y, 0, 0, 0, z], t: [0, 0, 0] };
}

export function rotateX(a: number): Affine {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return { m: [1, 0, 0, 0, c, -s, 0, s, c], t: [0, 0, 0] };
}

export function rotateY(a: number): Affine {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return { m: [c, 0, s, 0, 1, 0, -s, 0, c], t: [0, 0, 0] };
}

export function rotateZ(a: number): Affine {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return { m: [c, -s, 0, s, c, 0, 0, 0, 1], t: [0, 0, 0] };
}

/** The linear map that sends X, Y, Z to the given vectors (its columns). */
export function basis(x: Vec3, y: Vec3, z: Vec3): Affine {
  return { m: [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]], t: [0, 0, 0] };
}

/** `first`, then `second`. */
export function compose(first: Affine, second: Affine): Affine {
  const a = second.m;
  const b = first.m;
  const m: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) m.push(a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c]);
  }
  return { m, t: add(applyLinear(second, first.t), second.t) };
}

function applyLinear(x: Affine, p: Vec3): Vec3 {
  const m = x.m;
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2],
    m[3] * p[0] + m[4] * p[1] + m[5] * p[2],
    m[6] * p[0] + m[7] * p[1] + m[8] * p[2],
  ];
}

export function applyPoint(x: Affine, p: Vec3): Vec3 {
  return add(applyLinear(x, p), x.t);
}

/** A copy of `mesh` with `steps` applied in order (the first step first). */
export function transform(mesh: MeshData, ...steps: Affine[]): MeshData {
  const x = steps.reduce(compose, identity);
  const m = x.m;
  const c0: Vec3 = [m[0], m[3], m[6]];
  const c1: Vec3 = [m[1], m[4], m[7]];
  const c2: Vec3 = [m[2], m[5], m[8]];
  const det = dot(c0, cross(c1, c2));
  if (det === 0) throw new Error('transform is singular');
  // Normals transform by the inverse transpose; its columns are these cross products over det.
  const n0 = cross(c1, c2);
  const n1 = cross(c2, c0);
  const n2 = cross(c0, c1);
  const sign = det > 0 ? 1 : -1;
  const out = emptyMesh();
  for (let i = 0; i < mesh.positions.length; i += 3) {
    const p = applyPoint(x, [mesh.positions[i], mesh.positions[i + 1], mesh.positions[i + 2]]);
    out.positions.push(p[0], p[1], p[2]);
    const a = mesh.normals[i];
    const b = mesh.normals[i + 1];
    const c = mesh.normals[i + 2];
    const n = normalize([
      sign * (a * n0[0] + b * n1[0] + c * n2[0]),
      sign * (a * n0[1] + b * n1[1] + c * n2[1]),
      sign * (a * n0[2] + b * n1[2] + c * n2[2]),
    ]);
    out.normals.push(n[0], n[1], n[2]);
  }
  // A mirror turns the winding inside out: swap two corners to keep faces pointing outwards.
  for (let i = 0; i < mesh.indices.length; i += 3) {
    if (det > 0) out.indices.push(mesh.indices[i], mesh.indices[i + 1], mesh.indices[i + 2]);
    else out.indices.push(mesh.indices[i], mesh.indices[i + 2], mesh.indices[i + 1]);
  }
  return out;
}

export function merge(...meshes: MeshData[]): MeshData {
  const out = emptyMesh();
  for (const mesh of meshes) {
    const offset = vertexCount(out);
    out.positions.push(...mesh.positions);
    out.normals.push(...mesh.normals);
    for (const i of mesh.indices) out.indices.push(i + offset);
  }
  return out;
}

/** `count` copies of `mesh`, each turned a further 1/count of a turn about Y (blades, fins, spokes). */
export function radialArray(mesh: MeshData, count: number, axis: 'x' | 'y' | 'z' = 'y'): MeshData {
  const rotate = axis === 'x' ? rotateX : axis === 'y' ? rotateY : rotateZ;
  const copies: MeshData[] = [];
  for (let k = 0; k < count; k++) copies.push(transform(mesh, rotate((k * TAU) / count)));
  return merge(...copies);
}

// ---------------------------------------------------------------------------------------------
// Shapes

/** A box of size w (X) x h (Y) x d (Z), centred on the origin, with flat faces. */
export function box(w: number, h: number, d: number): MeshData {
  const hx = w / 2;
  const hy = h / 2;
  const hz = d / 2;
  const out = emptyMesh();
  // Each face: normal n and in-plane axes u, v with u x v = n, so the corner order below is CCW.
  const faces: [Vec3, Vec3, Vec3][] = [
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    [
      [-1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ],
    [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ],
    [
      [0, -1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ],
    [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ],
    [
      [0, 0, -1],
      [0, 1, 0],
      [1, 0, 0],
    ],
  ];
  for (const [n, u, v] of faces) {
    const base = vertexCount(out);
    for (const [su, sv] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ]) {
      const p = [0, 1, 2].map((k) => (n[k] + su * u[k] + sv * v[k]) * [hx, hy, hz][k]);
      out.positions.push(p[0], p[1], p[2]);
      out.normals.push(n[0], n[1], n[2]);
    }
    out.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  return out;
}

/**
 * A surface of revolution about Y. `profile` is a list of [radius, y] points walked so that the
 * solid lies on the left (up the outside, inwards across a top); each profile segment gets its own
 * ring of vertices, so edges between segments stay sharp (flanges, caps) while the round stays smooth.
 */
export function lathe(profile: readonly (readonly [number, number])[], segments: number): MeshData {
  const out = emptyMesh();
  for (let i = 0; i + 1 < profile.length; i++) {
    const [r0, y0] = profile[i];
    const [r1, y1] = profile[i + 1];
    const dr = r1 - r0;
    const dy = y1 - y0;
    const len = Math.hypot(dr, dy);
    if (len === 0) continue;
    const nr = dy / len;
    const ny = -dr / len;
    const base = vertexCount(out);
    for (let j = 0; j <= segments; j++) {
      // The seam vertex is repeated so that every ring is the same simple strip.
      const phi = (j % segments) * (TAU / segments);
      const s = Math.sin(phi);
      const c = Math.cos(phi);
      out.positions.push(r0 * s, y0, r0 * c, r1 * s, y1, r1 * c);
      out.normals.push(nr * s, ny, nr * c, nr * s, ny, nr * c);
    }
    for (let j = 0; j < segments; j++) {
      const a = base + j * 2;
      const b = a + 2;
      const c = a + 3;
      const d = a + 1;
      // A point on the axis collapses one triangle of the quad: leave it out.
      if (r0 !== 0) out.indices.push(a, b, c);
      if (r1 !== 0) out.indices.push(a, c, d);
    }
  }
  return out;
}

export type Caps = 'both' | 'none' | 'top' | 'bottom';

/** A cylinder about Y, from y = 0 to y = height. */
export function cylinder(radius: number, height: number, segments: number, caps: Caps = 'both'): MeshData {
  const profile: [number, number][] = [];
  if (caps === 'both' || caps === 'bottom') profile.push([0, 0]);
  profile.push([radius, 0], [radius, height]);
  if (caps === 'both' || caps === 'top') profile.push([0, height]);
  return lathe(profile, segments);
}

/** A cylinder from point a to point b. */
export function tubeBetween(a: Vec3, b: Vec3, radius: number, segments: number, caps: Caps = 'both'): MeshData {
  const axis = sub(b, a);
  const dir = normalize(axis);
  // Any unit vector across the axis will do; avoid one nearly parallel to it.
  const helper: Vec3 = Math.abs(dir[0]) < 0.9 ? [1, 0, 0] : [0, 0, 1];
  const u = normalize(cross(helper, dir));
  const w = cross(u, dir);
  return transform(cylinder(radius, length(axis), segments, caps), basis(u, dir, w), translate(a[0], a[1], a[2]));
}

export interface TorusOptions {
  /** Radius of the centre line. */
  radius: number;
  /** Radius of the tube. */
  tube: number;
  /** Swept angle, from +X towards +Y (default a full turn). */
  arc?: number;
  radialSegments: number;
  tubularSegments: number;
  /** Centre-line and tube radii at the end of the arc, for a spiral (a pump volute); default constant. */
  radiusEnd?: number;
  tubeEnd?: number;
}

/** A torus (or part of one, or a widening spiral) in the XY plane, about the Z axis, smooth shaded. */
export function torus(o: TorusOptions): MeshData {
  const arc = o.arc ?? TAU;
  const out = emptyMesh();
  const rings = o.radialSegments + 1;
  for (let j = 0; j <= o.tubularSegments; j++) {
    const f = j / o.tubularSegments;
    const theta = arc * f;
    const big = o.radius + ((o.radiusEnd ?? o.radius) - o.radius) * f;
    const small = o.tube + ((o.tubeEnd ?? o.tube) - o.tube) * f;
    const ct = Math.cos(theta);
    const st = Math.sin(theta);
    for (let i = 0; i <= o.radialSegments; i++) {
      const phi = ((i % o.radialSegments) * TAU) / o.radialSegments;
      const cp = Math.cos(phi);
      const sp = Math.sin(phi);
      out.normals.push(cp * ct, cp * st, sp);
      out.positions.push((big + small * cp) * ct, (big + small * cp) * st, small * sp);
    }
  }
  for (let j = 0; j < o.tubularSegments; j++) {
    for (let i = 0; i < o.radialSegments; i++) {
      const a = j * rings + i;
      const b = a + rings;
      const c = b + 1;
      const d = a + 1;
      out.indices.push(a, b, c, a, c, d);
    }
  }
  return out;
}

/**
 * A flat plate: the convex outline [x, z] extruded `thickness` along Y, centred on y = 0.
 * Used for fan blades and spokes, which read better as tapered plates than as boxes.
 */
export function prism(outline: readonly (readonly [number, number])[], thickness: number): MeshData {
  let area = 0;
  for (let i = 0; i < outline.length; i++) {
    const [x0, z0] = outline[i];
    const [x1, z1] = outline[(i + 1) % outline.length];
    area += x0 * z1 - x1 * z0;
  }
  // Walk the outline clockwise in (x, z), which is counter-clockwise seen from +Y.
  const pts = area > 0 ? [...outline].reverse() : [...outline];
  const h = thickness / 2;
  const out = emptyMesh();
  const n = pts.length;
  for (const [y, ny] of [
    [h, 1],
    [-h, -1],
  ]) {
    const base = vertexCount(out);
    for (const [x, z] of pts) {
      out.positions.push(x, y, z);
      out.normals.push(0, ny, 0);
    }
    for (let i = 1; i + 1 < n; i++) {
      if (ny > 0) out.indices.push(base, base + i, base + i + 1);
      else out.indices.push(base, base + i + 1, base + i);
    }
  }
  for (let i = 0; i < n; i++) {
    const [x0, z0] = pts[i];
    const [x1, z1] = pts[(i + 1) % n];
    const side = normalize([-(z1 - z0), 0, x1 - x0]);
    const base = vertexCount(out);
    out.positions.push(x0, -h, z0, x1, -h, z1, x1, h, z1, x0, h, z0);
    for (let k = 0; k < 4; k++) out.normals.push(side[0], side[1], side[2]);
    out.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  return out;
}

/**
 * A pipe along a polyline whose corners are right angles: straight runs joined by bends of
 * centre-line radius `bend`, closed at both ends.
 */
export function pipeRun(points: readonly Vec3[], radius: number, bend: number, segments: number): MeshData {
  if (points.length < 2) throw new Error('a pipe needs at least two points');
  const parts: MeshData[] = [];
  const dirs: Vec3[] = [];
  for (let i = 0; i + 1 < points.length; i++) dirs.push(normalize(sub(points[i + 1], points[i])));
  for (let i = 0; i + 1 < points.length; i++) {
    const start = i > 0 ? add(points[i], scaled(dirs[i], bend)) : points[i];
    const end = i + 2 < points.length ? sub(points[i + 1], scaled(dirs[i], bend)) : points[i + 1];
    const run = sub(end, start);
    if (dot(run, dirs[i]) < 0) throw new Error(`pipe segment ${i} is shorter than its bends`);
    const caps: Caps = points.length === 2 ? 'both' : i === 0 ? 'bottom' : i + 2 === points.length ? 'top' : 'none';
    if (length(run) > 1e-9) parts.push(tubeBetween(start, end, radius, segments, caps));
  }
  for (let i = 1; i + 1 < points.length; i++) {
    const d1 = dirs[i - 1];
    const d2 = dirs[i];
    if (Math.abs(dot(d1, d2)) > 1e-9) throw new Error(`pipe corner ${i} is not a right angle`);
    // The torus arc starts at (R, 0, 0) heading +Y and ends at (0, R, 0) heading -X:
    // map +Y to the incoming direction and -X to the outgoing one.
    const c = points[i];
    const origin = add(sub(c, scaled(d1, bend)), scaled(d2, bend));
    const elbow = torus({
      radius: bend,
      tube: radius,
      arc: Math.PI / 2,
      radialSegments: segments,
      tubularSegments: 8,
    });
    parts.push(transform(elbow, basis(scaled(d2, -1), d1, cross(d1, d2)), translate(origin[0], origin[1], origin[2])));
  }
  return merge(...parts);
}
