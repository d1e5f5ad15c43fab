import { afterEach, describe, expect, it } from 'vitest';
import { ENGLISH_WORDS, setDisplayLocale } from '../lib/locale';
import { TelemetryStore, QUALITY_DEAD, QUALITY_SUSPECT } from '../store/telemetry';
import { KIND_BOOLEAN } from '../engine/protocol';
import { twinSchema } from '../twin/schema';
import { hoverReadingText, labelText } from './readingText';

function store() {
  const s = new TelemetryStore(10);
  s.setDefinitionPeriods([null, null]);
  s.setDefinitionStates([{ RUNNING: 1, STOPPED: 0 }, undefined]);
  s.addSignals([
    { index: 0, id: 'pump1.state', def: 0, label: 'State', unit: '' },
    { index: 1, id: 'pump1.on', def: 1, label: 'On', unit: '' },
  ]);
  s.online = true;
  s.applyBatch({
    type: 'batch',
    samples: new Float64Array([0, 1, 1000, 1, 0, 1000]),
    count: 2,
    kinds: [{ index: 1, kind: KIND_BOOLEAN }],
  });
  return s;
}

describe('labelText', () => {
  it('writes the value as the panels do: state names, booleans as words', () => {
    const s = store();
    expect(labelText(s, 0, 'State', '', 2000)).toBe('State: RUNNING');
    expect(labelText(s, 1, 'On', '', 2000)).toBe('On: false');
  });

  it('says which kind of not-live, not just "stale"', () => {
    const s = store();
    s.setQuality(0, QUALITY_DEAD, true);
    expect(labelText(s, 0, 'State', '', 2000)).toBe('State: RUNNING (dead)');
    s.setQuality(0, QUALITY_DEAD, false);
    s.online = false;
    expect(labelText(s, 0, 'State', '', 2000)).toBe('State: RUNNING (stale)');
  });

  it('a signal without a value is a dash, not a stale word', () => {
    expect(labelText(store(), -1, 'Temp', '°C', 2000)).toBe('Temp: —');
  });
});

describe('hoverReadingText', () => {
  const twin = twinSchema.parse({
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
    assets: [{ id: 'station', model: 's.glb' }],
    signals: [{ id: '{p}.temp', topic: '+p', unit: '°C' }],
    bindings: [{ signal: 'pump1.temp', node: 'station/Pump1', effect: { kind: 'visible' } }],
  });
  const withTemp = () => {
    const s = new TelemetryStore(10);
    s.setDefinitionPeriods([null]);
    s.addSignals([{ index: 0, id: 'pump1.temp', def: 0, label: 'Temp', unit: '°C' }]);
    s.online = true;
    s.applyBatch({ type: 'batch', samples: new Float64Array([0, 71.5, 1000]), count: 1 });
    return s;
  };

  it('names the part and its first value, and says why it is not live', () => {
    const s = withTemp();
    expect(hoverReadingText(twin, 'station/Pump1', s, 2000)).toBe('Pump1 · 71.5 °C');
    s.setQuality(0, QUALITY_SUSPECT, true);
    expect(hoverReadingText(twin, 'station/Pump1', s, 2000)).toBe(
      'Pump1 · 71.5 °C (suspect: sequence gap: messages from its edge node were lost)',
    );
  });

  it('only names a part whose signal has no value yet', () => {
    expect(hoverReadingText(twin, 'station/Pump1', new TelemetryStore(10), 2000)).toBe('Pump1');
  });
});

describe('scene text in the UI language', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('writes the label and tooltip condition in German once the UI is German', () => {
    setDisplayLocale('de', { ...ENGLISH_WORDS, condition: (s) => (s === 'dead' ? 'tot' : s) });
    const s = store();
    s.setQuality(0, QUALITY_DEAD, true);
    expect(labelText(s, 0, 'State', '', 2000)).toBe('State: RUNNING (tot)');
  });
});
