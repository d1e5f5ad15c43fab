/**
 * One Y axis per unit: signals sharing a unit share an axis, so a temperature and a flow are each
 * read against their own scale. The first unit's axis is on the left, the second on the right, and
 * further ones alternate (a panel rarely holds more than two units).
 */
export interface TrendAxis {
  /** The axis's key: `axisOf` names it for each signal. */
  id: string;
  unit: string;
  side: 'left' | 'right';
}

export interface AxisLayout {
  axes: TrendAxis[];
  /** The axis id of each signal, in the order given. */
  axisOf: string[];
}

export function groupAxes(units: readonly string[]): AxisLayout {
  const axes: TrendAxis[] = [];
  const byUnit = new Map<string, TrendAxis>();
  const axisOf = units.map((unit) => {
    let axis = byUnit.get(unit);
    if (!axis) {
      axis = { id: `y${axes.length}`, unit, side: axes.length % 2 === 0 ? 'left' : 'right' };
      byUnit.set(unit, axis);
      axes.push(axis);
    }
    return axis.id;
  });
  return { axes, axisOf };
}
