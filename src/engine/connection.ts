/**
 * The broker connection (mqtt.js over WebSocket), made from the twin's `connection` section. It
 * reports every state change as a ConnectionStatus and hands messages on untouched; decoding is the
 * engine's job. mqtt.js reconnects and resubscribes by itself; this module only names what happens.
 */
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Connection } from '../twin/schema';
import type { ConnectionStatus, Credentials } from './protocol';
import { toMqttFilter } from '../lib/topicPattern';

/** Pause between reconnect attempts. A later change brings backoff. */
export const DEFAULT_RECONNECT_PERIOD_MS = 1500;

export interface ConnectionOptions {
  /** The twin's connection section. */
  connection: Connection;
  /** Overrides connection.url (e.g. a deployment's broker). */
  brokerUrl?: string;
  credentials?: Credentials;
  onMessage(topic: string, payload: Uint8Array): void;
  /** Called on every change of state, never twice with the same status. */
  onStatus(status: ConnectionStatus): void;
  /** Problems that do not end the connection but lose data, e.g. a refused subscription. */
  onProblem?(message: string): void;
  reconnectPeriodMs?: number;
  now?: () => number;
  /** The connect function; tests pass a fake. Default mqtt.connect. */
  connect?: (url: string, options: IClientOptions) => MqttClient;
}

export interface BrokerConnection {
  readonly url: string;
  /** Disconnects cleanly (forcing after a second) and reports offline "stopped". */
  close(): Promise<void>;
}

/** The mqtt.js options for a twin connection. */
export function clientOptions(
  connection: Connection,
  credentials?: Credentials,
  reconnectPeriodMs: number = DEFAULT_RECONNECT_PERIOD_MS,
): IClientOptions {
  const options: IClientOptions = {
    protocolVersion: connection.mqtt === 5 ? 5 : 4,
    clientId: connection.clientId ?? `twinview-${randomHex(8)}`,
    keepalive: connection.keepalive,
    clean: true,
    reconnectPeriod: reconnectPeriodMs,
    connectTimeout: 10_000,
    // Refusals are sorted below: permanent ones (bad credentials) stop, transient ones retry.
    reconnectOnConnackError: true,
    resubscribe: true,
  };
  if (credentials) {
    options.username = credentials.username;
    options.password = credentials.password;
  }
  return options;
}

/** The subscriptions of a connection section: filter → QoS, with "+name" captures made plain "+". */
export function subscriptions(connection: Connection): Record<string, { qos: 0 | 1 }> {
  const out: Record<string, { qos: 0 | 1 }> = {};
  for (const s of connection.subscribe) {
    const filter = toMqttFilter(typeof s === 'string' ? s : s.topic);
    const qos = typeof s === 'string' ? 0 : s.qos;
    // The same filter twice: keep the higher QoS, as the broker would.
    if (!out[filter] || out[filter].qos < qos) out[filter] = { qos };
  }
  return out;
}

// CONNACK refusals that retrying cannot fix: protocol version, client id, credentials,
// authorisation, banned, auth method, topic/packet/payload/QoS/retain problems, redirects.
const PERMANENT_REFUSALS = new Set([
  1, 2, 4, 5, 0x81, 0x82, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x90, 0x95, 0x99, 0x9a, 0x9b, 0x9c, 0x9d,
]);

/** Opens the connection; status starts at 'connecting'. */
export function openConnection(o: ConnectionOptions): BrokerConnection {
  const url = o.brokerUrl ?? o.connection.url;
  const now = o.now ?? Date.now;
  let last: ConnectionStatus | null = null;
  const report = (status: ConnectionStatus) => {
    if (last && sameStatus(last, status)) return;
    last = status;
    o.onStatus(status);
  };

  let online = false;
  let reachedSinceClose = false;
  let attempt = 0;
  let lastError: string | null = null;
  let stopped = false;
  let fatal: string | null = null;
  let subscribed = false;

  report({ state: 'connecting', url });
  let client: MqttClient;
  try {
    client = (o.connect ?? mqtt.connect)(url, clientOptions(o.connection, o.credentials, o.reconnectPeriodMs));
  } catch (err) {
    // mqtt.connect throws synchronously for URLs it cannot use.
    report({ state: 'offline', url, reason: describe(err) });
    return { url, close: async () => {} };
  }

  client.on('connect', () => {
    online = true;
    reachedSinceClose = true;
    attempt = 0;
    lastError = null;
    report({ state: 'online', url, since: now() });
    // Once: after that mqtt.js resubscribes on every reconnect that has no session.
    if (subscribed) return;
    subscribed = true;
    // One SUBSCRIBE per filter: mqtt.js forgets every filter of a SUBSCRIBE for resubscription
    // when the broker refuses one of them, and each refusal deserves its own report.
    for (const [filter, options] of Object.entries(subscriptions(o.connection))) {
      client.subscribe(filter, options, (err, _granted, packet) => {
        // A refusal is a SUBACK code from 0x80 up (3.1.1: 128). An error without a SUBACK is a
        // connection that closed first: mqtt.js resubscribes on reconnect, nothing to report.
        const suback = (packet ?? (err as { packet?: unknown } | null)?.packet) as { granted?: unknown[] } | undefined;
        const rc = suback?.granted?.find((g): g is number => typeof g === 'number' && g >= 0x80);
        if (rc !== undefined) o.onProblem?.(`the broker refused the subscription "${filter}" (${reasonText(rc)})`);
      });
    }
  });

  client.on('message', (topic, payload) => o.onMessage(topic, payload));

  client.on('error', (err) => {
    lastError = describe(err);
    const code = (err as { code?: unknown }).code;
    // Before CONNACK, a numeric code is the broker's refusal of the connection.
    if (!online && typeof code === 'number' && PERMANENT_REFUSALS.has(code)) {
      fatal = lastError;
      client.end(true);
      report({ state: 'offline', url, reason: fatal });
    }
  });

  // MQTT 5: the broker says why it is closing (session taken over, shutting down, ...).
  client.on('disconnect', (packet) => {
    const rc = packet.reasonCode ?? 0;
    lastError = rc ? `broker disconnected: ${reasonText(rc)}` : 'broker disconnected';
  });

  client.on('close', () => {
    const wasOnline = online;
    online = false;
    if (stopped || fatal) return;
    attempt++;
    const reason = lastError ?? (wasOnline || reachedSinceClose ? 'connection lost' : 'broker not reachable');
    lastError = null;
    reachedSinceClose = false;
    report({ state: 'reconnecting', url, attempt, reason });
  });

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        stopped = true;
        report({ state: 'offline', url, reason: 'stopped' });
        const force = setTimeout(() => client.end(true, {}, () => resolve()), 1000);
        client.end(false, {}, () => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

function reasonText(code: number): string {
  // Looked up defensively: bundles of mqtt.js differ in what the default export carries.
  const table = (mqtt as unknown as { ReasonCodes?: Record<number, string> }).ReasonCodes;
  return table?.[code] || `reason code ${code}`;
}

function sameStatus(a: ConnectionStatus, b: ConnectionStatus): boolean {
  if (a.state !== b.state || a.url !== b.url) return false;
  switch (b.state) {
    case 'connecting':
      return true;
    case 'online':
      return false; // a new session each time
    case 'reconnecting':
      return a.state === 'reconnecting' && a.attempt === b.attempt && a.reason === b.reason;
    case 'offline':
      return a.state === 'offline' && a.reason === b.reason;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function randomHex(bytes: number): string {
  // getRandomValues works in insecure contexts too (a kiosk on plain http), unlike randomUUID.
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}
