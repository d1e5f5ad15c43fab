/**
 * The solar-farm demo: one panel model, placed 10,000 times by the twin as instances, and the twin
 * document itself (rows of panels, one power signal each). Node names are the contract with the twin.
 */
import type { Document } from '@gltf-transform/core';
import { box, rotateX, transform, translate } from './geometry';
import { ModelBuilder } from './gltf';

export const FARM = { rows: 100, columns: 100, spacing: [2.6, 3.2] as [number, number], ratedW: 400 };

const TILT = (25 * Math.PI) / 180;

export function buildSolarPanel(): Document {
  const b = new ModelBuilder('SolarPanel_Scene');
  const panel = b.group('SolarPanel');
  // Light grey panel: the power colour ramp (instance colour) is multiplied onto it.
  b.part(
    'SolarPanel_Surface',
    transform(box(2.2, 0.05, 1.3), rotateX(-TILT), translate(0, 1.1, 0)),
    {
      color: '#d8dadc',
      metallic: 0.1,
      roughness: 0.5,
    },
    { parent: panel },
  );
  b.part(
    'SolarPanel_Post',
    transform(box(0.1, 1.1, 0.1), translate(0, 0.55, 0)),
    {
      color: '#80858a',
      metallic: 0.4,
      roughness: 0.6,
    },
    { parent: panel },
  );
  return b.document;
}

export const SOLAR_FARM_MODELS: readonly { file: string; build: () => Document }[] = [
  { file: 'solar-panel.glb', build: buildSolarPanel },
];

/** Topic for one row's power readings: one message carries the whole row (100 values, about 600 bytes). */
export function rowTopic(row: number): string {
  return `solar/field/${row}/power`;
}

/** The solar-farm twin document: 100 signal definitions (one per column) cover all 10,000 panels. */
export function solarFarmTwin(): Record<string, unknown> {
  const signals = Array.from({ length: FARM.columns }, (_, c) => ({
    id: `r{row}c${c}.power`,
    topic: 'solar/field/+row/power',
    path: `p[${c}]`,
    label: `Panel r{row}c${c} power`,
    unit: 'W',
    range: [0, FARM.ratedW],
    period: '1s',
  }));
  return {
    $schema: '../twin.schema.json',
    id: 'solar-farm',
    title: 'Solar farm (10,000 panels)',
    description:
      'A field of 100 x 100 solar panels drawn as instances, each bound to its own power signal; the simulator updates every panel ten times a second.',
    connection: { url: 'ws://127.0.0.1:9001', mqtt: '3.1.1', subscribe: ['solar/field/+/power'], credentials: 'none' },
    assets: [
      {
        id: 'field',
        label: 'Panel field',
        area: 'Field A',
        model: 'solar-panel.glb',
        instances: {
          rows: FARM.rows,
          columns: FARM.columns,
          spacing: FARM.spacing,
          key: 'r{row}c{column}',
          colorNode: 'SolarPanel_Surface',
          bindings: [
            {
              // Grey shades for output (ISA-101: no colour while normal); alarm red for a dead panel.
              signal: '{instance}.power',
              effect: {
                kind: 'colorRamp',
                stops: [
                  [0, 'alarm'],
                  [4.9, 'alarm'],
                  [5, '#4a4f55'],
                  [FARM.ratedW, '#d0d6dc'],
                ],
              },
            },
          ],
        },
      },
    ],
    signals,
    // Rules are concrete: one per panel watched. r4c73 is one of the panels the simulator leaves dead,
    // so the demo shows an instance alarm (the panel blinks until acknowledged).
    rules: [
      {
        id: 'panel-r4c73-dead',
        when: 'r4c73.power < 5',
        for: '3s',
        priority: 'high',
        message: 'Panel r4c73 produces no power',
        asset: 'field/r4c73',
        guidance: {
          cause: 'A failed module, a blown string fuse or a loose connector',
          consequence: 'About 0.4 kW less from the field while the sun is up',
          action: 'Check the string fuse and the connector of r4c73 on the next round',
        },
      },
    ],
    views: [
      { id: 'overview', label: 'Overview', camera: { position: [0, 150, 210], target: [0, 0, 0] } },
      { id: 'corner', label: 'Corner', camera: { position: [-120, 12, -147], target: [-128, 0, -158] } },
    ],
    panels: [{ kind: 'values', title: 'Corner panels', signals: ['r0c0.power', 'r99c99.power'] }],
  };
}
