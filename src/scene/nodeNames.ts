/**
 * Node names as exporters write them, and which of them are names a person gave. Pure: no three.js
 * objects, so the rule can be read and tested on its own.
 */

/**
 * Words modelling tools and exporters use for names nobody chose ("Object_12", "mesh_0", "Cube.001",
 * "Empty", "RootNode", "Sketchfab_model", "Body1"), each optionally followed by numbers and separators.
 */
const DEFAULT_WORDS = [
  'object',
  'mesh',
  'node',
  'group',
  'empty',
  'null',
  'transform',
  'geometry',
  'primitive',
  'model',
  'scene',
  'auxscene',
  'root',
  'rootnode',
  'gltf_scenerootnode',
  'sketchfab_model',
  'sketchfab_scene',
  'defaultobject',
  'default',
  'polysurface',
  'cube',
  'box',
  'sphere',
  'uvsphere',
  'icosphere',
  'cylinder',
  'cone',
  'torus',
  'plane',
  'circle',
  'pcube',
  'psphere',
  'pcylinder',
  'pplane',
  'body',
  'solid',
  'camera',
  'light',
  'lamp',
];

const DEFAULT_NAME = new RegExp(`^(?:${DEFAULT_WORDS.join('|')})(?:[ ._-]*\\d+)*$`, 'i');
/** Only digits and separators ("12", "0.3"), or a UUID as some CAD exports write. */
const NUMBERS = /^[\d ._-]*$/;
const UUID = /^[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}$/i;

/**
 * True for a name nobody chose: empty, only numbers, a UUID, or an exporter's default word with
 * numbers ("Object_12", "mesh_0", "Cube.001", "Group 3"). "Pump1", "Valve.001" or "Bolt" are names
 * of their own.
 */
export function isGeneratedName(name: string): boolean {
  const n = name.trim();
  return NUMBERS.test(n) || UUID.test(n) || DEFAULT_NAME.test(n);
}
