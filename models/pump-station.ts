/**
 * The demo pump station (station.glb) and its cooling fan (cooling-fan.glb), built from code.
 * Node names are the contract with models/pump-station/twin.json: change both together.
 *
 * Metres, Y up. Colours follow high-performance HMI practice (ISA-101): equipment in neutral greys,
 * so that the app's state colours (warning, alarm) are the only saturated colours on screen.
 */
import type { Document } from '@gltf-transform/core';
import {
  box,
  cylinder,
  lathe,
  merge,
  pipeRun,
  prism,
  radialArray,
  rotateX,
  rotateY,
  torus,
  transform,
  translate,
  tubeBetween,
  type MeshData,
  type Vec3,
} from './geometry';
import { ModelBuilder, type Finish } from './gltf';

const QUARTER = Math.PI / 2;

const FINISH = {
  floor: { color: '#5e6266', metallic: 0, roughness: 0.95 },
  steel: { color: '#80858a', metallic: 0.4, roughness: 0.6 },
  motor: { color: '#b8bbbf', metallic: 0.3, roughness: 0.5 },
  casing: { color: '#999ea3', metallic: 0.4, roughness: 0.55 },
  rotor: { color: '#52575d', metallic: 0.5, roughness: 0.4 },
  pipe: { color: '#a7abaf', metallic: 0.3, roughness: 0.5 },
  tankShell: { color: '#c8ccd0', metallic: 0, roughness: 0.15, alpha: 0.35, doubleSided: true },
  tankSteel: { color: '#9ca1a6', metallic: 0.3, roughness: 0.6 },
  liquid: { color: '#6f8599', metallic: 0, roughness: 0.3 },
  cabinet: { color: '#c4c7ca', metallic: 0.2, roughness: 0.6 },
  screen: { color: '#3c4145', metallic: 0, roughness: 0.3 },
} satisfies Record<string, Finish>;

// Layout shared by the pumps and the pipes that meet them.
const PUMP_X = [-6, -2, 2] as const;
const PUMP_Z = 3;
const SHAFT_Y = 0.8;
/** Pump-local Z of the parts along the shaft: casing (suction end) at -Z, motor at +Z. */
const CASING_Z = -0.65;
const IMPELLER_Z = 0;
const MOTOR_Z = 0.8;
const SUCTION_FLANGE_Z = CASING_Z - 0.42;
const DISCHARGE_X = 0.34;
const DISCHARGE_TOP_Y = SHAFT_Y + 0.6;

const TANK = { x: 6, z: -2, radius: 2, height: 5 };
const LEVEL_BOTTOM = 0.05;
const HEADER = { y: 3, z: PUMP_Z + CASING_Z, radius: 0.2, startX: 2.7, endX: -10.2 };
const VALVE_X = -8;

/** Lathe profiles are drawn about Y; pump parts turn about Z. */
const yToZ = rotateX(QUARTER);

export function buildStation(): Document {
  const b = new ModelBuilder('PumpStation');
  b.part('Floor', transform(box(22, 0.3, 16), translate(0, -0.15, 0)), FINISH.floor);

  // One copy of each pump part's geometry, shared by the three pumps (each with its own material).
  const pump = { base: pumpBase(), motor: pumpMotor(), casing: pumpCasing(), impeller: pumpImpeller() };
  PUMP_X.forEach((x, i) => {
    const n = i + 1;
    const group = b.group(`Pump${n}`, { translation: [x, 0, PUMP_Z] });
    b.part(`Pump${n}_Base`, pump.base, FINISH.steel, { parent: group, translation: [0, 0, 0.2] });
    b.part(`Pump${n}_Motor`, pump.motor, FINISH.motor, { parent: group, translation: [0, SHAFT_Y, MOTOR_Z] });
    b.part(`Pump${n}_Casing`, pump.casing, FINISH.casing, { parent: group, translation: [0, SHAFT_Y, CASING_Z] });
    b.part(`Pump${n}_Impeller`, pump.impeller, FINISH.rotor, {
      parent: group,
      translation: [0, SHAFT_Y, IMPELLER_Z],
    });
  });

  const tank = b.group('Tank1', { translation: [TANK.x, 0, TANK.z] });
  b.part(
    'Tank1_Shell',
    lathe(
      [
        [TANK.radius, 0],
        [TANK.radius, TANK.height],
      ],
      48,
    ),
    FINISH.tankShell,
    {
      parent: tank,
    },
  );
  // Bottom at the node origin, so scaling the node on Y fills the tank from the floor up.
  b.part('Tank1_Level', cylinder(1.9, TANK.height - 2 * LEVEL_BOTTOM, 48), FINISH.liquid, {
    parent: tank,
    translation: [0, LEVEL_BOTTOM, 0],
  });
  b.part('Tank1_Roof', tankRoof(), FINISH.tankSteel, { parent: tank });
  b.part('Tank1_BaseRing', tankBaseRing(), FINISH.tankSteel, { parent: tank });
  b.part('Tank1_Ladder', tankLadder(), FINISH.steel, { parent: tank });

  PUMP_X.forEach((x, i) => b.part(`Pipe_Suction${i + 1}`, suctionPipe(x, i), FINISH.pipe));
  b.part('Pipe_Header', headerPipe(), FINISH.pipe);
  PUMP_X.forEach((x, i) => b.part(`Pipe_Discharge${i + 1}`, dischargeRiser(x + DISCHARGE_X), FINISH.pipe));

  const valve = b.group('Valve1', { translation: [VALVE_X, HEADER.y, HEADER.z] });
  b.part('Valve1_Body', valveBody(), FINISH.steel, { parent: valve });
  b.part('Valve1_Handwheel', handwheel(), FINISH.rotor, { parent: valve, translation: [0, 1.08, 0] });

  const panel = b.group('Panel1', { translation: [-9.6, 0, 6.2] });
  b.part('Panel1_Cabinet', cabinet(), FINISH.cabinet, { parent: panel });
  b.part('Panel1_Screen', transform(box(0.42, 0.3, 0.015), translate(-0.3, 1.5, 0.255)), FINISH.screen, {
    parent: panel,
  });
  return b.document;
}

export function buildCoolingFan(): Document {
  const b = new ModelBuilder('CoolingFan_Scene');
  const fan = b.group('CoolingFan');
  b.part('CoolingFan_Stand', fanStand(), FINISH.steel, { parent: fan });
  b.part('CoolingFan_Housing', fanHousing(), FINISH.casing, { parent: fan, translation: [0, 2.75, 0] });
  b.part(
    'CoolingFan_Blades',
    rotor({
      blades: 5,
      hub: [
        [0, -0.07],
        [0.14, -0.07],
        [0.14, 0.04],
        [0.07, 0.1],
        [0, 0.1],
      ],
      rootRadius: 0.1,
      tipRadius: 0.7,
      rootChord: 0.14,
      tipChord: 0.26,
      sweep: 0.06,
      thickness: 0.015,
      pitch: 0.5,
    }),
    FINISH.rotor,
    { parent: fan, translation: [0, 2.82, 0] },
  );
  return b.document;
}

/** The models this script writes, by file name under models/pump-station/. */
export const PUMP_STATION_MODELS: readonly { file: string; build: () => Document }[] = [
  { file: 'station.glb', build: buildStation },
  { file: 'cooling-fan.glb', build: buildCoolingFan },
];

// ---------------------------------------------------------------------------------------------
// Pumps (each part in its node's frame; the shaft is the local Z axis)

function pumpBase(): MeshData {
  return merge(
    transform(box(1.0, 0.1, 2.6), translate(0, 0.15, 0)),
    transform(box(0.12, 0.1, 2.6), translate(-0.44, 0.05, 0)),
    transform(box(0.12, 0.1, 2.6), translate(0.44, 0.05, 0)),
  );
}

function pumpMotor(): MeshData {
  const body = lathe(
    [
      [0, -0.6],
      [0.3, -0.6],
      [0.3, -0.57],
      [0.42, -0.55],
      [0.45, -0.55],
      [0.45, 0.45],
      [0.46, 0.45],
      [0.46, 0.58],
      [0.34, 0.62],
      [0, 0.62],
    ],
    32,
  );
  const fin = transform(box(0.07, 0.025, 0.95), translate(0.475, 0, -0.03));
  return merge(
    transform(body, yToZ),
    radialArray(fin, 20, 'z'),
    transform(box(0.3, 0.2, 0.34), translate(0, 0.54, -0.1)), // terminal box
    transform(box(0.8, 0.25, 0.14), translate(0, -0.475, -0.38)), // feet
    transform(box(0.8, 0.25, 0.14), translate(0, -0.475, 0.38)),
  );
}

function pumpCasing(): MeshData {
  // Suction cover and nozzle (-Z), casing back plate, bearing frame (+Z), as one turned profile.
  const turned = lathe(
    [
      [0, -0.42],
      [0.25, -0.42],
      [0.25, -0.38],
      [0.17, -0.38],
      [0.17, -0.27],
      [0.25, -0.15],
      [0.3, -0.13],
      [0.3, 0.13],
      [0.16, 0.15],
      [0.13, 0.2],
      [0.13, 0.3],
      [0.18, 0.3],
      [0.18, 0.43],
      [0.1, 0.45],
      [0, 0.45],
    ],
    24,
  );
  // The volute: a spiral that widens towards the discharge, which leaves it tangentially upwards
  // at x = DISCHARGE_X (the end circle of the spiral is the nozzle's bottom circle).
  const volute = torus({
    radius: 0.22,
    radiusEnd: DISCHARGE_X,
    tube: 0.07,
    tubeEnd: 0.14,
    radialSegments: 12,
    tubularSegments: 32,
  });
  return merge(
    transform(turned, yToZ),
    volute,
    transform(cylinder(0.14, 0.55, 24, 'none'), translate(DISCHARGE_X, 0, 0)),
    transform(cylinder(0.22, 0.05, 24), translate(DISCHARGE_X, 0.55, 0)),
    transform(box(0.36, 0.3, 0.22), translate(0, -0.45, 0)), // casing foot
    transform(box(0.26, 0.46, 0.12), translate(0, -0.37, 0.36)), // bearing frame foot
  );
}

/** The shaft coupling with fan blades: centred on its origin, turning about local Z. */
function pumpImpeller(): MeshData {
  const coupling = rotor({
    blades: 4,
    hub: [
      [0, -0.07],
      [0.11, -0.07],
      [0.11, -0.01],
      [0.09, -0.01],
      [0.09, 0.01],
      [0.11, 0.01],
      [0.11, 0.07],
      [0, 0.07],
    ],
    rootRadius: 0.08,
    tipRadius: 0.36,
    rootChord: 0.09,
    tipChord: 0.15,
    sweep: 0.03,
    thickness: 0.016,
    pitch: 0.5,
  });
  const shaft = transform(cylinder(0.035, 0.4, 12), translate(0, -0.2, 0));
  return transform(merge(coupling, shaft), yToZ);
}

interface RotorOptions {
  blades: number;
  /** Turned profile of the hub, [radius, y]. */
  hub: readonly (readonly [number, number])[];
  rootRadius: number;
  tipRadius: number;
  rootChord: number;
  tipChord: number;
  /** How far the tip's chord is swept back, for a blade that reads as a fan blade. */
  sweep: number;
  thickness: number;
  /** Blade angle about its own radial axis, radians. */
  pitch: number;
}

/** A hub and pitched, tapered blades about the Y axis, centred on the origin. */
function rotor(o: RotorOptions): MeshData {
  const blade = prism(
    [
      [o.rootRadius, -o.rootChord / 2],
      [o.tipRadius, -o.tipChord / 2 + o.sweep],
      [o.tipRadius, o.tipChord / 2 + o.sweep],
      [o.rootRadius, o.rootChord / 2],
    ],
    o.thickness,
  );
  return merge(lathe(o.hub, 24), radialArray(transform(blade, rotateX(o.pitch)), o.blades, 'y'));
}

// ---------------------------------------------------------------------------------------------
// Tank (in the Tank1 frame: centre of the tank's foot)

function tankRoof(): MeshData {
  // A closed profile so the roof also has an underside, seen through the transparent shell.
  return lathe(
    [
      [0, TANK.height],
      [2.04, TANK.height],
      [2.04, TANK.height - 0.08],
      [2.08, TANK.height - 0.08],
      [2.08, TANK.height + 0.06],
      [0.22, TANK.height + 0.5],
      [0.22, TANK.height + 0.62],
      [0, TANK.height + 0.62],
    ],
    48,
  );
}

function tankBaseRing(): MeshData {
  return lathe(
    [
      [2.08, 0],
      [2.08, 0.15],
      [2.0, 0.15],
      [2.0, 0],
    ],
    48,
  );
}

/** An access ladder on the tank wall, turned towards the overview camera. */
function tankLadder(): MeshData {
  const top = TANK.height + 0.95;
  const parts: MeshData[] = [
    transform(box(0.05, top, 0.05), translate(-0.22, top / 2, 0)),
    transform(box(0.05, top, 0.05), translate(0.22, top / 2, 0)),
  ];
  for (let y = 0.3; y < top - 0.1; y += 0.3) {
    parts.push(tubeBetween([-0.22, y, 0], [0.22, y, 0], 0.015, 6));
  }
  for (const y of [1, 3, 5]) {
    for (const x of [-0.22, 0.22]) parts.push(transform(box(0.04, 0.05, 0.22), translate(x, y, -0.12)));
  }
  // Built facing +Z; turn it to 30 degrees from +X towards +Z and stand it off the wall.
  const angle = Math.PI / 3;
  const r = TANK.radius + 0.22;
  return transform(merge(...parts), rotateY(angle), translate(r * Math.sin(angle), 0, r * Math.cos(angle)));
}

// ---------------------------------------------------------------------------------------------
// Pipework (in station coordinates)

const PIPE_SEGMENTS = 16;

function flange(a: Vec3, b: Vec3, radius: number): MeshData {
  return tubeBetween(a, b, radius, PIPE_SEGMENTS);
}

/** Post-and-saddle supports under a horizontal run at shaft height, about every `spacing` metres. */
function supports(a: Vec3, b: Vec3, spacing: number, pipeBottom: number): MeshData[] {
  const along: Vec3 = [b[0] - a[0], 0, b[2] - a[2]];
  const len = Math.hypot(along[0], along[2]);
  const count = Math.floor(len / spacing);
  const alongX = Math.abs(along[0]) > Math.abs(along[2]);
  const out: MeshData[] = [];
  for (let k = 0; k < count; k++) {
    const f = (k + 0.5) / count;
    const x = a[0] + along[0] * f;
    const z = a[2] + along[2] * f;
    out.push(
      transform(box(0.08, pipeBottom - 0.04, 0.08), translate(x, (pipeBottom - 0.04) / 2, z)),
      transform(alongX ? box(0.1, 0.04, 0.36) : box(0.36, 0.04, 0.1), translate(x, pipeBottom - 0.02, z)),
      transform(box(0.22, 0.02, 0.22), translate(x, 0.01, z)),
    );
  }
  return out;
}

/**
 * From the pump's suction flange back (-Z), then along +X into the tank foot. Each pump's run is
 * further back than the next pump's, so the three pipes never cross.
 */
function suctionPipe(pumpX: number, index: number): MeshData {
  const radius = 0.16;
  const bend = 0.45;
  const runZ = [-1.8, -1.2, -0.6][index];
  const wallX = TANK.x - Math.sqrt(TANK.radius ** 2 - (runZ - TANK.z) ** 2);
  const startZ = PUMP_Z + SUCTION_FLANGE_Z;
  const corner: Vec3 = [pumpX, SHAFT_Y, runZ];
  return merge(
    pipeRun([[pumpX, SHAFT_Y, startZ], corner, [wallX + 0.05, SHAFT_Y, runZ]], radius, bend, PIPE_SEGMENTS),
    flange([pumpX, SHAFT_Y, startZ - 0.04], [pumpX, SHAFT_Y, startZ], 0.25),
    flange([wallX - 0.2, SHAFT_Y, runZ], [wallX - 0.16, SHAFT_Y, runZ], 0.25),
    ...supports([pumpX, 0, startZ], [pumpX, 0, runZ + bend], 3, SHAFT_Y - radius),
    ...supports([pumpX + bend, 0, runZ], [wallX - 0.3, 0, runZ], 3, SHAFT_Y - radius),
  );
}

/** Along X above the casings, then down into the floor at the west wall (to the distribution main). */
function headerPipe(): MeshData {
  const { y, z, radius, startX, endX } = HEADER;
  return merge(
    pipeRun(
      [
        [startX, y, z],
        [endX, y, z],
        [endX, -0.1, z],
      ],
      radius,
      0.6,
      PIPE_SEGMENTS,
    ),
    flange([startX, y, z], [startX + 0.06, y, z], 0.3), // blind flange
    transform(cylinder(0.3, 0.06, PIPE_SEGMENTS), translate(endX, 0, z)), // floor sleeve
    transform(box(0.12, y - radius - 0.04, 0.12), translate(-9.2, (y - radius - 0.04) / 2, z)),
    transform(box(0.12, 0.04, 0.5), translate(-9.2, y - radius - 0.02, z)),
  );
}

/** From a casing's discharge flange up into the header, with a check valve. */
function dischargeRiser(x: number): MeshData {
  const z = HEADER.z;
  const at = (y: number): Vec3 => [x, y, z];
  return merge(
    tubeBetween(at(DISCHARGE_TOP_Y), at(HEADER.y), 0.15, PIPE_SEGMENTS, 'none'),
    flange(at(DISCHARGE_TOP_Y), at(DISCHARGE_TOP_Y + 0.05), 0.22),
    flange(at(1.88), at(1.92), 0.25),
    tubeBetween(at(1.92), at(2.23), 0.2, PIPE_SEGMENTS),
    flange(at(2.23), at(2.27), 0.25),
  );
}

// ---------------------------------------------------------------------------------------------
// Valve, cabinet

/** A gate valve on the header (X axis); Valve1's origin is on the header's centre line. */
function valveBody(): MeshData {
  return merge(
    tubeBetween([-0.3, 0, 0], [0.3, 0, 0], 0.24, 20),
    tubeBetween([-0.34, 0, 0], [-0.28, 0, 0], 0.32, 20),
    tubeBetween([0.28, 0, 0], [0.34, 0, 0], 0.32, 20),
    transform(box(0.32, 0.45, 0.3), translate(0, 0.2, 0)), // gate chamber
    transform(cylinder(0.2, 0.05, 20), translate(0, 0.42, 0)), // bonnet flange
    transform(cylinder(0.1, 0.25, 16), translate(0, 0.47, 0)), // bonnet
    transform(box(0.04, 0.25, 0.1), translate(-0.08, 0.845, 0)), // yoke
    transform(box(0.04, 0.25, 0.1), translate(0.08, 0.845, 0)),
    transform(box(0.2, 0.04, 0.1), translate(0, 0.99, 0)),
    transform(cylinder(0.025, 0.4, 8), translate(0, 0.72, 0)), // stem
  );
}

/** Rim, three spokes and a knob (so turning is visible), centred on the origin, turning about Y. */
function handwheel(): MeshData {
  const rim = torus({ radius: 0.26, tube: 0.022, radialSegments: 8, tubularSegments: 48 });
  const spoke = transform(box(0.24, 0.03, 0.035), translate(0.13, 0, 0));
  return merge(
    transform(rim, rotateX(QUARTER)),
    radialArray(spoke, 3, 'y'),
    transform(cylinder(0.05, 0.06, 12), translate(0, -0.03, 0)),
    transform(cylinder(0.02, 0.12, 8), translate(0.26, 0, 0)),
  );
}

function cabinet(): MeshData {
  return merge(
    transform(box(1.2, 0.1, 0.5), translate(0, 0.05, 0)),
    transform(box(1.2, 1.9, 0.5), translate(0, 1.05, 0)),
    transform(box(1.3, 0.04, 0.6), translate(0, 2.02, 0)),
    transform(box(0.01, 1.8, 0.01), translate(0, 1.05, 0.252)), // door seam
    transform(box(0.03, 0.18, 0.04), translate(-0.08, 1.1, 0.27)), // handles
    transform(box(0.03, 0.18, 0.04), translate(0.08, 1.1, 0.27)),
  );
}

// ---------------------------------------------------------------------------------------------
// Cooling fan (in the CoolingFan frame: centre of the stand's foot)

function fanStand(): MeshData {
  const h = 2.5;
  const half = 0.66;
  const parts: MeshData[] = [];
  for (const x of [-half, half]) {
    for (const z of [-half, half]) {
      parts.push(
        transform(box(0.08, h, 0.08), translate(x, h / 2, z)),
        transform(box(0.2, 0.02, 0.2), translate(x, 0.01, z)),
      );
    }
  }
  for (const y of [1.1, h - 0.04]) {
    for (const s of [-half, half]) {
      parts.push(
        transform(box(2 * half + 0.08, 0.08, 0.08), translate(0, y, s)),
        transform(box(0.08, 0.08, 2 * half + 0.08), translate(s, y, 0)),
      );
    }
  }
  return merge(...parts);
}

/** The horizontal shroud with a bell-mouth lip, and the motor pod on four struts under the blades. */
function fanHousing(): MeshData {
  const shroud = lathe(
    [
      [0.78, -0.25],
      [0.82, -0.25],
      [0.82, 0.18],
      [0.94, 0.28],
      [0.94, 0.31],
      [0.86, 0.31],
      [0.78, 0.22],
      [0.78, -0.25],
    ],
    64,
  );
  const motor = lathe(
    [
      [0, -0.42],
      [0.12, -0.42],
      [0.17, -0.36],
      [0.17, -0.08],
      [0.1, -0.04],
      [0, -0.04],
    ],
    24,
  );
  const strut = transform(box(0.63, 0.04, 0.05), translate(0.475, -0.2, 0));
  return merge(shroud, motor, radialArray(strut, 4, 'y'), transform(cylinder(0.03, 0.1, 8), translate(0, -0.04, 0)));
}
