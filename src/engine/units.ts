/**
 * Unit conversions a twin may ask for on a signal (`"convert": "°F->°C"`). Each is linear
 * (value × factor + offset), so a conversion compiles to two numbers and costs one multiply-add.
 */
import type { UNIT_CONVERSIONS } from '../twin/schema';

export type UnitConversion = (typeof UNIT_CONVERSIONS)[number];

/** [factor, offset]: to = from × factor + offset. */
export const CONVERSIONS: Readonly<Record<UnitConversion, readonly [number, number]>> = {
  '°F->°C': [5 / 9, -32 * (5 / 9)],
  '°C->°F': [9 / 5, 32],
  'K->°C': [1, -273.15],
  '°C->K': [1, 273.15],
  'psi->bar': [0.0689475729, 0],
  'bar->psi': [1 / 0.0689475729, 0],
  'kPa->bar': [0.01, 0],
  'bar->kPa': [100, 0],
  'Pa->kPa': [0.001, 0],
  'mbar->bar': [0.001, 0],
  'gpm->m³/h': [0.227124707, 0],
  'm³/h->l/s': [1 / 3.6, 0],
  'l/s->m³/h': [3.6, 0],
  'hp->kW': [0.745699872, 0],
  'kW->hp': [1 / 0.745699872, 0],
  'ft->m': [0.3048, 0],
  'in->mm': [25.4, 0],
  'rad/s->rpm': [60 / (2 * Math.PI), 0],
  'Hz->rpm': [60, 0],
};

/**
 * The linear map a signal asks for: its `convert`, then `scale`, then `offset`, folded into one
 * [factor, offset] pair. [1, 0] when it asks for nothing.
 */
export function linearTransform(signal: {
  convert?: UnitConversion;
  scale?: number;
  offset?: number;
}): [number, number] {
  let [factor, offset] = signal.convert ? CONVERSIONS[signal.convert] : [1, 0];
  if (signal.scale !== undefined) {
    factor *= signal.scale;
    offset *= signal.scale;
  }
  if (signal.offset !== undefined) offset += signal.offset;
  return [factor, offset];
}
