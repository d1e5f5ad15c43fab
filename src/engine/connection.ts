/**
 * The broker connection (mqtt.js over WebSocket), made from the twin's `connection` section. It
 * reports every state change as a ConnectionStatus and hands messages on untouched; decoding is the
 * engine's job. Reconnection is ours, not mqtt.js's (its fixed one-second retry would hammer a
 * restarting broker from every dashboard at once): capped exponential backoff with jitter.
 *
 * A broker that refuses MQTT 5 (aedes, older brokers) gets MQTT 3.1.1 instead, once, and the online
 * status says so: a twin written from the documentation (`"mqtt"` defaults to 5) still connects.
 */
import mqtt from 'mqtt';
import type { IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import type { Connection } from '../twin/schema';
import type { ConnectionStatus, Credentials } from './protocol';
import { toMqttFilter } from '../lib/topicPattern';
import { parseDuration } from '../lib/duration';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { hasBrowserWebSocket, splittingSocket } from './splittingSocket';

/** MQTT 5 persistent sessions: how long the broker keeps the session after a disconnect, by default. */
export const DEFAULT_SESSION_EXPIRY_S = 3600;

export interface ConnectionOptions {
  /** The twin's connection section. */
  connection: Connection;
  /** Overrides connection.url (e.g. a deployment's broker). */
  brokerUrl?: string;
  credentials?: Credentials;
  /** The browser's own fixed client id, used for persistent sessions when the twin names none. */
  clientId?: string;
  /** `correlationData`: MQTT 5 Correlation Data of the message, when it has some (a command's reply). */
  onMessage(topic: string, payload: Uint8Array, correlationData?: Uint8Array): void;
  /** Called on every change of state, never twice with the same status. */
  onStatus(status: ConnectionStatus): void;
  /** Problems that do not end the connection but lose data, e.g. a refused subscription. */
  onProblem?(message: string): void;
  /** The reconnect schedule; default from the twin's `connection.reconnect`, else DEFAULT_BACKOFF. */
  backoff?: BackoffOptions;
  /** Random numbers in [0, 1) for the jitter; tests pass a fixed one. */
  random?: () => number;
  now?: () => number;
  /** The connect function; tests pass a fake. Default mqtt.connect. */
  connect?: (url: string, options: IClientOptions) => MqttClient;
  /** Filters subscribed beside the twin's own (e.g. Twinview's namespace, src/engine/namespace.ts). */
  extraSubscriptions?: Record<string, { qos: 0 | 1 }>;
  /** The last will: published by the broker when this client goes without a clean disconnect. */
  will?: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
}

/** What became of a publish: sent (and, at QoS 1, accepted by the broker), or why not. */
export type PublishResult = { ok: true } | { ok: false; reason: string; reasonCode?: number };

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
  /** MQTT 5 only (ignored on 3.1.1): where a device should reply, and what ties its reply to this message. */
  responseTopic?: string;
  correlationData?: Uint8Array;
}

export interface BrokerConnection {
  readonly url: string;
  /**
   * Publishes now, or refuses at once when not connected (nothing is queued: a command sent minutes
   * later, after a reconnect, would surprise the operator who pressed the button). At QoS 1 it
   * resolves when the broker acknowledged; an MQTT 5 broker's refusal (e.g. an ACL: "Not authorized")
   * comes back with its reason code.
   */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<PublishResult>;
  /** Disconnects cleanly (forcing after a second) and reports offline "stopped". */
  close(): Promise<void>;
}

/** The reconnect schedule a twin asks for (`connection.reconnect`), over the defaults. */
export function backoffFor(connection: Connection): BackoffOptions {
  const initial = connection.reconnect?.initial;
  const max = connection.reconnect?.max;
  return {
    ...DEFAULT_BACKOFF,
    initialMs: (initial !== undefined ? parseDuration(initial) : null) ?? DEFAULT_BACKOFF.initialMs,
    maxMs: (max !== undefined ? parseDuration(max) : null) ?? DEFAULT_BACKOFF.maxMs,
  };
}

/**
 * The mqtt.js options for a twin connection. `browserClientId` is the browser's own fixed id, used
 * by persistent sessions when the twin names no clientId (a session belongs to one client id).
 */
export function clientOptions(
  connection: Connection,
  credentials?: Credentials,
  browserClientId?: string,
): IClientOptions {
  const persistent = connection.session === 'persistent';
  const options: IClientOptions = {
    protocolVersion: connection.mqtt === 5 ? 5 : 4,
    clientId: connection.clientId ?? (persistent ? browserClientId : undefined) ?? `twinview-${randomHex(8)}`,
    keepalive: connection.keepalive,
    clean: !persistent,
    // We reconnect ourselves (backoff with jitter) and subscribe ourselves when the session is new.
    reconnectPeriod: 0,
    resubscribe: false,
    connectTimeout: 10_000,
    // Refusals are sorted below: permanent ones (bad credentials) stop, transient ones retry.
    reconnectOnConnackError: true,
  };
  if (persistent && connection.mqtt === 5) {
    // MQTT 5 ends a session at disconnect unless told to keep it.
    const expiryMs = connection.sessionExpiry !== undefined ? parseDuration(connection.sessionExpiry) : null;
    options.properties = {
      sessionExpiryInterval: Math.round((expiryMs ?? DEFAULT_SESSION_EXPIRY_S * 1000) / 1000),
    };
  }
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

/**
 * "Unacceptable protocol version": 1 is what a 3.1.1 broker answers to an MQTT 5 CONNECT (it cannot
 * speak 5, so it answers in 3.1.1), 0x84 the MQTT 5 code.
 */
export function refusesProtocol(code: unknown): boolean {
  return code === 1 || code === 0x84;
}

/**
 * Why a connection that the broker refused for its protocol version ended, and what to set instead.
 * `tried` lists the versions refused, in order.
 */
export function protocolRefusal(tried: readonly MqttVersion[], brokerSaid: string): string {
  const names = tried.map((v) => `MQTT ${v}`).join(' and ');
  if (tried.length === 1 && tried[0] === '3.1.1')
    return `the broker refused ${names} (${brokerSaid}): set "mqtt": 5 in the twin's connection`;
  return (
    `the broker refused ${names} (${brokerSaid}), the versions Twinview speaks: check that the URL is the ` +
    `broker's MQTT-over-WebSocket listener and that the broker supports MQTT 5 or 3.1.1`
  );
}

type MqttVersion = Connection['mqtt'];

/** Opens the connection; status starts at 'connecting'. */
export function openConnection(o: ConnectionOptions): BrokerConnection {
  const url = o.brokerUrl ?? o.connection.url;
  const now = o.now ?? Date.now;
  const backoff = o.backoff ?? backoffFor(o.connection);
  const random = o.random ?? Math.random;
  let last: ConnectionStatus | null = null;
  const report = (status: ConnectionStatus) => {
    if (last && sameStatus(last, status)) return;
    last = status;
    o.onStatus(status);
  };

  let online = false;
  let everOnline = false;
  let reachedSinceClose = false;
  let attempt = 0;
  let lastError: string | null = null;
  let stopped = false;
  let fatal: string | null = null;
  /** When the last good connection was lost; null while online or before the first connection. */
  let lostAt: number | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  // The version in use: the twin's until the broker refuses 5, then 3.1.1 for good (reconnects too).
  let connection = o.connection;
  const refused: MqttVersion[] = [];

  report({ state: 'connecting', url });
  const connect = (): MqttClient => {
    const options = clientOptions(connection, o.credentials, o.clientId);
    if (o.will) options.will = { ...o.will };
    if (o.connect === undefined && hasBrowserWebSocket()) {
      // Telemetry publishes skip mqtt.js's stream and parser (src/engine/mqttFrames.ts). The socket
      // belongs to this client: once a fallback replaced it, what it still delivers is ignored.
      const owner: { client: MqttClient | null } = { client: null };
      const mqtt5 = options.protocolVersion === 5;
      options.createWebsocket = (socketUrl, protocols) =>
        splittingSocket(socketUrl, protocols, mqtt5, (topic, payload) => {
          if (owner.client === client && !stopped) o.onMessage(topic, payload);
        });
      owner.client = mqtt.connect(url, options);
      return owner.client;
    }
    return (o.connect ?? mqtt.connect)(url, options);
  };
  let client: MqttClient;
  try {
    client = connect();
  } catch (err) {
    // mqtt.connect throws synchronously for URLs it cannot use.
    report({ state: 'offline', url, reason: describe(err) });
    return { url, close: async () => {}, publish: async () => ({ ok: false, reason: 'not connected' }) };
  }

  const subscribeAll = () => {
    // One SUBSCRIBE per filter: mqtt.js forgets every filter of a SUBSCRIBE when the broker refuses
    // one of them, and each refusal deserves its own report.
    for (const [filter, options] of Object.entries({ ...subscriptions(o.connection), ...o.extraSubscriptions })) {
      client.subscribe(filter, options, (err, _granted, packet) => {
        // A refusal is a SUBACK code from 0x80 up (3.1.1: 128). An error without a SUBACK is a
        // connection that closed first: we subscribe again on the next connect.
        const suback = (packet ?? (err as { packet?: unknown } | null)?.packet) as { granted?: unknown[] } | undefined;
        const rc = suback?.granted?.find((g): g is number => typeof g === 'number' && g >= 0x80);
        if (rc !== undefined) o.onProblem?.(`the broker refused the subscription "${filter}" (${reasonText(rc)})`);
      });
    }
  };

  /** The handlers of one mqtt.js client; a client replaced by a fallback is ignored from then on. */
  const attach = (c: MqttClient) => {
    c.on('connect', (connack: IConnackPacket) => {
      if (c !== client) return;
      const at = now();
      online = true;
      reachedSinceClose = true;
      attempt = 0;
      lastError = null;
      // The broker kept our session only with clean start off; a clean session is always new.
      const resumed = o.connection.session === 'persistent' && connack.sessionPresent === true;
      const first = !everOnline;
      const status: ConnectionStatus = { state: 'online', url, since: at, resumed };
      if (refused.length > 0) status.mqttFallback = { refused: 5, using: '3.1.1' };
      // A reconnect into a new session lost whatever was published meanwhile: say so, do not bridge it.
      if (everOnline && !resumed && lostAt !== null) status.gapSince = lostAt;
      everOnline = true;
      lostAt = null;
      report(status);
      // A resumed session still has its subscriptions; a new one has none. The first connection
      // subscribes anyway, in case the twin's filters changed since the session was made.
      if (first || !connack.sessionPresent) subscribeAll();
    });

    c.on('message', (topic, payload, packet) => {
      if (c !== client) return;
      const correlation = packet.properties?.correlationData;
      if (correlation) o.onMessage(topic, payload, correlation);
      else o.onMessage(topic, payload);
    });

    c.on('error', (err) => {
      if (c !== client) return;
      lastError = describe(err);
      const code = (err as { code?: unknown }).code;
      // Before CONNACK, a numeric code is the broker's refusal of the connection.
      if (online || typeof code !== 'number' || !PERMANENT_REFUSALS.has(code)) return;
      if (refusesProtocol(code)) {
        refused.push(connection.mqtt);
        if (connection.mqtt === 5 && !stopped) {
          // A broker that speaks only 3.1.1: try that at once, on a new client (the old one is done).
          connection = { ...connection, mqtt: '3.1.1' };
          lastError = null;
          // Replaced first, so that the old client's close is ignored rather than scheduling a retry.
          // (connect() cannot throw here: the same URL was accepted a moment ago.)
          client = connect();
          attach(client);
          c.end(true);
          return;
        }
        fatal = protocolRefusal(refused, lastError);
      } else {
        fatal = lastError;
      }
      clearRetry();
      c.end(true);
      report({ state: 'offline', url, reason: fatal });
    });

    // MQTT 5: the broker says why it is closing (session taken over, shutting down, ...).
    c.on('disconnect', (packet) => {
      if (c !== client) return;
      const rc = packet.reasonCode ?? 0;
      lastError = rc ? `broker disconnected: ${reasonText(rc)}` : 'broker disconnected';
    });

    c.on('close', () => {
      if (c !== client) return;
      const wasOnline = online;
      online = false;
      if (wasOnline) lostAt = now();
      if (stopped || fatal || retryTimer !== null) return;
      attempt++;
      const reason = lastError ?? (wasOnline || reachedSinceClose ? 'connection lost' : 'broker not reachable');
      lastError = null;
      reachedSinceClose = false;
      const delay = backoffDelay(attempt, backoff, random);
      report({ state: 'reconnecting', url, attempt, reason, nextRetryAt: now() + delay });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!stopped && !fatal) client.reconnect();
      }, delay);
    });
  };
  attach(client);

  function clearRetry() {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  }

  return {
    url,
    publish: (topic, payload, options) =>
      new Promise<PublishResult>((resolve) => {
        if (!online || stopped) return resolve({ ok: false, reason: 'not connected to the broker' });
        const properties: NonNullable<Parameters<MqttClient['publish']>[2]>['properties'] = {};
        if (connection.mqtt === 5) {
          if (options.responseTopic) properties.responseTopic = options.responseTopic;
          if (options.correlationData)
            // mqtt-packet writes any byte array; Node's Buffer is not there in the browser worker.
            properties.correlationData = options.correlationData as Buffer;
        }
        client.publish(
          topic,
          payload as string,
          { qos: options.qos, retain: options.retain ?? false, properties },
          (err) => {
            if (!err) return resolve({ ok: true });
            const code = (err as { code?: unknown }).code;
            resolve(
              typeof code === 'number'
                ? { ok: false, reason: `the broker refused it (${reasonText(code)})`, reasonCode: code }
                : { ok: false, reason: describe(err) },
            );
          },
        );
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        stopped = true;
        clearRetry();
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
      return (
        a.state === 'reconnecting' &&
        a.attempt === b.attempt &&
        a.reason === b.reason &&
        a.nextRetryAt === b.nextRetryAt
      );
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
