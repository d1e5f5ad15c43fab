/**
 * Twinview's own MQTT topic namespace, version 1: how the engine service and every dashboard share
 * one twin over the broker (docs/operations.md). Pure: used by the Node service, the browser worker
 * and tests alike. The broker's ACL decides who may publish where; the `<user>` segment of a request
 * topic is how the service learns who acted (a Mosquitto ACL `pattern write twinview/v1/+/requests/%u`
 * makes that segment the authenticated MQTT user name).
 *
 *   twinview/v1/<twin>/service             retained  ServiceStatus (an MQTT last will makes it "offline")
 *   twinview/v1/<twin>/alarms/<alarm id>   retained  AlarmSnapshot; an empty retained payload removes it
 *   twinview/v1/<twin>/audit               QoS 1     AuditRecord, one per alarm transition or command
 *   twinview/v1/<twin>/requests/<user>     QoS 1     ServiceRequest from a dashboard
 *   twinview/v1/<twin>/replies/<user>      QoS 1     ServiceReply to that request
 */
import type { AlarmAction, AlarmAuditEntry, AlarmSnapshot } from './protocol';

export const NAMESPACE_VERSION = 1;
export const NAMESPACE_ROOT = 'twinview/v1';

/**
 * One topic level made safe: MQTT wildcards, the level separator and NUL cannot appear in a level,
 * so they (and '%', to stay reversible) are percent-encoded. Ordinary ids ("pump1.overheat") stay as they are.
 */
export function topicLevel(text: string): string {
  let out = '';
  for (const c of text) {
    out +=
      c === '%' || c === '/' || c === '+' || c === '#' || c === '\0'
        ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
        : c;
  }
  return out;
}

/** The inverse of topicLevel; null when the level is not a valid encoding. */
export function fromTopicLevel(level: string): string | null {
  try {
    return decodeURIComponent(level.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return null;
  }
}

export const topics = {
  /** Everything of one twin, for a subscriber. */
  all: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/#`,
  service: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/service`,
  alarm: (twin: string, alarmId: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/alarms/${topicLevel(alarmId)}`,
  alarms: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/alarms/+`,
  audit: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/audit`,
  requests: (twin: string, user: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/requests/${topicLevel(user)}`,
  /** What the service subscribes to: every user's requests. */
  anyRequests: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/requests/+`,
  replies: (twin: string, user: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/replies/${topicLevel(user)}`,
  /** Every user's replies: a dashboard without credentials (its user is a typed name that may change). */
  anyReplies: (twin: string) => `${NAMESPACE_ROOT}/${topicLevel(twin)}/replies/+`,
};

/** Whether the engine service of a twin is running, retained on the service topic. */
export interface ServiceStatus {
  v: typeof NAMESPACE_VERSION;
  state: 'online' | 'offline';
  /** When this state began (ms since the epoch); absent in the last will, which is written at connect time. */
  since?: number;
  /** Identifies one run of the service, so a dashboard can tell a restart from a reconnect. */
  instance: string;
}

/** One entry of the shared audit log: an alarm transition, or a command sent to the plant. */
export type AuditRecord =
  | ({ v: typeof NAMESPACE_VERSION; kind: 'alarm'; seq: number } & AlarmAuditEntry)
  | {
      v: typeof NAMESPACE_VERSION;
      kind: 'command';
      seq: number;
      t: number;
      commandId: string;
      operator: string;
      topic: string;
      payload: string;
      result: 'sent' | 'confirmed' | 'rejected' | 'refused' | 'timed-out';
      reason?: string;
    };

/** A dashboard asks the service to act on an alarm, or to record a command in the audit log. */
export type ServiceRequest =
  | {
      v: typeof NAMESPACE_VERSION;
      id: string;
      kind: 'acknowledge';
      alarmId: string;
      comment?: string;
      operator?: string;
    }
  | { v: typeof NAMESPACE_VERSION; id: string; kind: 'alarm-action'; action: AlarmAction }
  | {
      v: typeof NAMESPACE_VERSION;
      id: string;
      kind: 'command-audit';
      record: Omit<Extract<AuditRecord, { kind: 'command' }>, 'v' | 'seq' | 'operator'>;
    };

/** The service's answer to one request, on the requester's replies topic. */
export interface ServiceReply {
  v: typeof NAMESPACE_VERSION;
  id: string;
  ok: boolean;
  /** Why it was not applied, in words for the operator. */
  error?: string;
}

/** The alarm as the service publishes it (retained), or null for the empty payload that removes it. */
export type SharedAlarm = AlarmSnapshot | null;

const MAX_REQUEST_BYTES = 16 * 1024;

/** Parses a request payload; a string says what is wrong (for a reply and the service log). */
export function parseRequest(payload: Uint8Array | string): ServiceRequest | string {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  if (text.length > MAX_REQUEST_BYTES) return `request larger than ${MAX_REQUEST_BYTES} bytes`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'request is not JSON';
  }
  if (typeof doc !== 'object' || doc === null) return 'request is not a JSON object';
  const r = doc as Record<string, unknown>;
  if (r.v !== NAMESPACE_VERSION) return `request version ${String(r.v)} is not ${NAMESPACE_VERSION}`;
  if (typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 100) return 'request id missing or too long';
  switch (r.kind) {
    case 'acknowledge':
      if (typeof r.alarmId !== 'string') return 'acknowledge needs an alarmId';
      if (r.comment !== undefined && typeof r.comment !== 'string') return 'comment must be text';
      if (r.operator !== undefined && typeof r.operator !== 'string') return 'operator must be text';
      return r as ServiceRequest;
    case 'alarm-action': {
      const a = r.action as Record<string, unknown> | undefined;
      if (typeof a !== 'object' || a === null || typeof a.alarmId !== 'string') return 'alarm-action needs an action';
      if (!['shelve', 'unshelve', 'out-of-service', 'reset', 'comment'].includes(String(a.kind)))
        return `unknown alarm action "${String(a.kind)}"`;
      if (a.kind === 'shelve' && !(typeof a.durationMs === 'number' && a.durationMs > 0))
        return 'shelve needs a duration';
      if (a.kind === 'out-of-service' && typeof a.outOfService !== 'boolean')
        return 'out-of-service needs true or false';
      if (a.kind === 'comment' && typeof a.comment !== 'string') return 'comment needs text';
      return r as ServiceRequest;
    }
    case 'command-audit':
      if (typeof r.record !== 'object' || r.record === null) return 'command-audit needs a record';
      return r as ServiceRequest;
    default:
      return `unknown request kind "${String(r.kind)}"`;
  }
}

/** The twin id and the rest of a namespace topic, or null when the topic is not ours. */
export function splitTopic(topic: string): { twin: string; rest: string[] } | null {
  const parts = topic.split('/');
  if (parts.length < 4 || `${parts[0]}/${parts[1]}` !== NAMESPACE_ROOT) return null;
  const twin = fromTopicLevel(parts[2]);
  if (twin === null) return null;
  const rest: string[] = [];
  for (const p of parts.slice(3)) {
    const level = fromTopicLevel(p);
    if (level === null) return null;
    rest.push(level);
  }
  return { twin, rest };
}
