import { describe, expect, it } from 'vitest';
import { TopicBrowser } from './topicBrowser';
import { addSignal, signalFromPick } from './signalDraft';
import { validateTwin } from '../twin/validate';

const T0 = 1_764_000_000_000;

function model() {
  const b = new TopicBrowser();
  const send = (topic: string, temp: number, t: number) =>
    b.record(topic, new TextEncoder().encode(JSON.stringify({ bearing: { temp } })), t);
  send('plant/pump1/telemetry', 60, T0);
  send('plant/pump1/telemetry', 64, T0 + 1000);
  send('plant/pump2/telemetry', 80, T0 + 1000);
  return b;
}

const leaf = { path: 'bearing.temp', kind: 'number' as const, value: 64 };

describe('a signal from a pick', () => {
  it('ranges a concrete topic over its own values', () => {
    expect(signalFromPick(model(), 'plant/pump1/telemetry', leaf, 'json')).toMatchObject({
      id: 'pump1.bearing.temp',
      unit: '°C',
      range: [59, 65],
    });
  });

  it('ranges a template over every topic it matches', () => {
    expect(signalFromPick(model(), 'plant/+pump/telemetry', leaf, 'json')).toMatchObject({
      id: '{pump}.bearing.temp',
      range: [55, 85],
    });
  });

  it('has no range when nothing numeric was seen there', () => {
    expect(signalFromPick(model(), 'plant/none', leaf, 'json').range).toBeUndefined();
  });
});

describe('adding it to the draft', () => {
  it('makes the id unique and widens the subscriptions only when nothing covers the topic', () => {
    const doc: Record<string, unknown> = {
      id: 't',
      title: 'T',
      connection: { url: 'ws://127.0.0.1:9001', subscribe: ['other/#'] },
    };
    const s = signalFromPick(model(), 'plant/pump1/telemetry', leaf, 'json');
    expect(addSignal(doc, s)).toBe(0);
    expect(addSignal(doc, s)).toBe(1);
    expect((doc.signals as { id: string }[]).map((x) => x.id)).toEqual(['pump1.bearing.temp', 'pump1.bearing.temp_2']);
    expect((doc.connection as { subscribe: string[] }).subscribe).toEqual(['other/#', 'plant/pump1/telemetry']);
    expect(validateTwin(doc)).toMatchObject({ ok: true });
  });

  it('subscribes a template by its MQTT filter', () => {
    const doc: Record<string, unknown> = { id: 't', title: 'T' };
    addSignal(doc, signalFromPick(model(), 'plant/+pump/telemetry', leaf, 'json'));
    expect((doc.connection as { subscribe: string[] }).subscribe).toEqual(['plant/+/telemetry']);
  });
});
