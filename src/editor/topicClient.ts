/**
 * The topic browser's own MQTT connection: from the page to the draft's broker, separate from the
 * preview's engine, subscribing to "#" or a prefix the user types. Read-only (it never publishes),
 * it feeds each message to the TopicBrowser model and nothing else: no React state is touched per
 * message; the UI reads the model on a timer. `close()` ends the connection and every listener.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import type { TopicBrowser, SparkplugDecode } from './topicBrowser';
import { loadSparkplugCodec } from './payloadPaths';

export type TopicClientState =
  | { kind: 'connecting' }
  | { kind: 'subscribed'; filter: string }
  /** reason: the broker's or the browser's words, shown as text. */
  | { kind: 'error'; reason: string }
  | { kind: 'closed' };

type Connect = (url: string, options: IClientOptions) => MqttClient;

export interface TopicClientOptions {
  url: string;
  /** The MQTT subscription filter ("#", "plant/#"). */
  filter: string;
  username?: string;
  password?: string;
  browser: TopicBrowser;
  connect: Connect;
  onState: (state: TopicClientState) => void;
  now?: () => number;
  /** The Sparkplug decoder factory (default: the engine's, loaded on the first Sparkplug message). */
  loadSparkplug?: () => Promise<SparkplugDecode>;
}

export interface TopicClient {
  close(): void;
}

/** Why a subscription filter is not a valid MQTT filter, or null. */
export function filterProblem(filter: string): 'empty' | 'hash-not-last' | 'wildcard-level' | null {
  if (filter === '') return 'empty';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level === '#') {
      if (i !== levels.length - 1) return 'hash-not-last';
    } else if (level !== '+' && /[+#]/.test(level)) return 'wildcard-level';
  }
  return null;
}

/** The engine's Sparkplug decoder, as the topic browser calls it (one tracker per connection). */
export async function engineSparkplug(): Promise<SparkplugDecode> {
  const codec = await loadSparkplugCodec();
  const tracker = new codec.SparkplugTracker();
  return (topic, payload) => {
    const parsed = codec.parseSparkplugTopic(topic);
    if (parsed === null) return null;
    const out = tracker.handle(parsed, payload);
    return out.kind === 'birth' || out.kind === 'data' ? { key: out.key, metrics: out.metrics } : null;
  };
}

export function startTopicClient(options: TopicClientOptions): TopicClient {
  const { browser, onState } = options;
  const now = options.now ?? Date.now;
  let closed = false;
  let sparkplugLoading = false;
  const setState = (s: TopicClientState) => {
    if (!closed || s.kind === 'closed') onState(s);
  };
  onState({ kind: 'connecting' });
  let client: MqttClient;
  try {
    client = options.connect(options.url, {
      // 3.1.1: every broker speaks it, and the browser needs nothing of 5.
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 5000,
      connectTimeout: 10_000,
      clientId: `twinview-editor-topics-${Math.random().toString(16).slice(2, 10)}`,
      username: options.username || undefined,
      password: options.password || undefined,
    });
  } catch (err) {
    onState({ kind: 'error', reason: err instanceof Error ? err.message : String(err) });
    return { close: () => onState({ kind: 'closed' }) };
  }
  client.on('connect', () => {
    client.subscribe(options.filter, { qos: 0 }, (err, granted) => {
      if (closed) return;
      // A refused subscription is granted with reason code 128 (0x80).
      if (err || granted?.some((g) => g.qos === 128)) setState({ kind: 'error', reason: err?.message ?? 'refused' });
      else setState({ kind: 'subscribed', filter: options.filter });
    });
  });
  client.on('message', (topic, payload) => {
    if (closed) return;
    browser.record(topic, payload, now());
    if (browser.wantsSparkplug && !sparkplugLoading) {
      sparkplugLoading = true;
      (options.loadSparkplug ?? engineSparkplug)().then(
        (decode) => {
          if (!closed) browser.setSparkplug(decode);
        },
        () => {
          sparkplugLoading = false; // tried again with the next Sparkplug message
        },
      );
    }
  });
  client.on('error', (err) => setState({ kind: 'error', reason: err.message }));
  client.on('offline', () => setState({ kind: 'error', reason: 'offline' }));
  client.on('reconnect', () => setState({ kind: 'connecting' }));
  return {
    close() {
      if (closed) return;
      closed = true;
      client.removeAllListeners('message');
      client.end(true);
      onState({ kind: 'closed' });
    },
  };
}
