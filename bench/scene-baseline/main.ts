/**
 * The scene benchmark's baseline: the least code that does the same job as Twinview's instanced
 * bindings — 10,000 panels in one InstancedMesh whose colour ramp is written into instanceColor from
 * the solar-farm simulator's values, which a worker of its own takes from the broker (worker.ts), as
 * Twinview's engine worker does. Only the colour loop is timed, as in the app, on every frame that has
 * new values.
 */
import {
  BoxGeometry,
  Color,
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  MeshStandardMaterial,
  PerspectiveCamera,
  HemisphereLight,
  Scene,
  WebGLRenderer,
} from 'three';

const ROWS = 100;
const COLUMNS = 100;
const N = ROWS * COLUMNS;
const stops = [0, 4.9, 5, 400];
const stopColors = [new Color('#d62828'), new Color('#d62828'), new Color('#4a4f55'), new Color('#d0d6dc')];

const renderer = new WebGLRenderer({ antialias: true });
renderer.setSize(innerWidth, innerHeight);
document.body.appendChild(renderer.domElement);
const scene = new Scene();
scene.background = new Color('#d4d7db');
scene.add(new HemisphereLight('#ffffff', '#8a8f96', 1.6));
const camera = new PerspectiveCamera(45, innerWidth / innerHeight, 0.1, 500);
camera.position.set(0, 150, 210);
camera.lookAt(0, 0, 0);

const mesh = new InstancedMesh(new BoxGeometry(2.2, 0.05, 1.3), new MeshStandardMaterial({ color: '#ffffff' }), N);
const colors = new Float32Array(N * 3);
mesh.instanceColor = new InstancedBufferAttribute(colors, 3);
mesh.instanceColor.setUsage(DynamicDrawUsage);
const m = new Matrix4();
for (let k = 0; k < N; k++) {
  m.makeTranslation((k % COLUMNS) * 2.6 - 128.7, 1, Math.floor(k / COLUMNS) * 3.2 - 158.4);
  mesh.setMatrixAt(k, m);
}
scene.add(mesh);

const latest = new Float64Array(N);
const mix = new Color();
const stats = { frames: 0, applyMs: 0, log: [] as number[] };
let running = false;
let fresh = false;
let online = false;

// New data for every panel (untimed: in the app this is the worker's and the store's job).
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.addEventListener('message', (e: MessageEvent<{ online?: boolean; values?: Float64Array }>) => {
  if (e.data.online) online = true;
  if (e.data.values) {
    latest.set(e.data.values);
    fresh = true;
  }
});
worker.postMessage({ url: new URLSearchParams(location.search).get('broker') ?? 'ws://127.0.0.1:9001' });

function reset(): void {
  stats.frames = 0;
  stats.applyMs = 0;
  stats.log = [];
}

function frame(): void {
  if (!running) return;
  if (!fresh) {
    requestAnimationFrame(frame);
    return;
  }
  fresh = false;
  const t0 = performance.now();
  for (let k = 0; k < N; k++) {
    const v = latest[k];
    let i = 0;
    while (i < stops.length - 2 && v > stops[i + 1]) i++;
    const t = Math.min(1, Math.max(0, (v - stops[i]) / (stops[i + 1] - stops[i])));
    mix.copy(stopColors[i]).lerp(stopColors[i + 1], t);
    colors[k * 3] = mix.r;
    colors[k * 3 + 1] = mix.g;
    colors[k * 3 + 2] = mix.b;
  }
  mesh.instanceColor!.needsUpdate = true;
  const ms = performance.now() - t0;
  stats.applyMs += ms;
  stats.log.push(ms);
  stats.frames++;
  renderer.render(scene, camera);
  requestAnimationFrame(frame);
}

(window as unknown as { baseline: unknown }).baseline = {
  online: () => online,
  start() {
    reset();
    running = true;
    requestAnimationFrame(frame);
  },
  /** Zeroes the figures (after a warm-up with the loop running, as Twinview's page warms up). */
  reset,
  /** The figures so far, the loop still running (the bench's warm-up counts frames). */
  peek: () => ({ ...stats, log: [...stats.log] }),
  stop() {
    running = false;
    return { ...stats };
  },
};
