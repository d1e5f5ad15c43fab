/**
 * Commands back to the plant, as pure logic (no DOM, no MQTT client): which command a concrete id
 * means, which commands a part offers, the operator's inputs checked against their limits, the topic
 * and payload filled in, and one request followed from pending to confirmed, rejected (the device's
 * reason), refused (the broker's reason code) or timed out. The worker session publishes what this
 * module asks for and hands it the replies; the dashboard uses the same functions to check inputs
 * before anything is sent. See docs/twin-format.md#commands.
 */
import type { Command, CommandParam, Twin } from '../twin/schema';
import { fillTemplate, placeholders, templateCaptures } from '../twin/signalIds';
import { parseDuration } from '../lib/duration';
import { MISSING, parseValuePath, readValuePath } from '../lib/valuePath';
import { toMqttFilter } from '../lib/topicPattern';
import { NAMESPACE_ROOT, topicLevel } from './namespace';

export type ParamValue = number | string | boolean;
export type CommandState = 'pending' | 'confirmed' | 'rejected' | 'refused' | 'timed-out';
/** The screen a dashboard runs as (`?mode=`): commands are the operator's unless a twin allows more. */
export type ScreenMode = 'operator' | 'kiosk' | 'embed';

/** A command with its captures filled: "{pump}.start" as "pump2.start". */
export interface ResolvedCommand {
  def: Command;
  /** The concrete id. */
  id: string;
  label: string;
  captures: Record<string, string>;
}

/** What the main thread asks the worker to send. */
export interface CommandRequest {
  /** Made once per confirmation dialog: a second send of the same id is ignored (a double click). */
  requestId: string;
  commandId: string;
  params: Record<string, ParamValue>;
  operator?: string;
}

/** One request as the operator sees it. */
export interface CommandStatus {
  requestId: string;
  commandId: string;
  label: string;
  topic: string;
  payload: string;
  state: CommandState;
  /** The device's reason (rejected), the broker's (refused), or why it was not sent. */
  reason?: string;
  /** MQTT 5 reason code of a broker's refusal. */
  reasonCode?: number;
  sentAt: number;
  /** When the state last changed. */
  at: number;
}

export interface CommandPublish {
  topic: string;
  payload: string;
  qos: 0 | 1;
  responseTopic?: string;
  correlationData?: Uint8Array;
}

/** The screen mode named in a page's query string; anything else is the operator's screen. */
export function screenMode(search: string): ScreenMode {
  const mode = new URLSearchParams(search).get('mode');
  return mode === 'kiosk' || mode === 'embed' ? mode : 'operator';
}

export function commandAllowedIn(def: Command, mode: ScreenMode): boolean {
  return mode === 'operator' || def.modes.includes(mode);
}

/** The command a concrete id names (a declared id, or a template's instance), or null. */
export function resolveCommand(twin: Twin, id: string): ResolvedCommand | null {
  for (const def of twin.commands) {
    const captures = templateCaptures(def.id)(id);
    if (captures) return { def, id, label: fillTemplate(def.label, captures), captures };
  }
  return null;
}

/** The captures a concrete signal id carries ("pump2.temp" of "{pump}.temp" carries pump = pump2). */
function signalCaptures(twin: Twin, signalId: string): Record<string, string> | null {
  for (const s of twin.signals) {
    const c = templateCaptures(s.id)(signalId);
    if (c) return c;
  }
  return null;
}

/**
 * The commands a selected part offers: those placed on it (or inside it) with `node`, and templated
 * ones whose captures all come from one of the part's signals ("{pump}.start" on a part showing
 * pump2.temp is pump2.start). Each concrete command once, in twin order.
 */
export function commandsForPart(twin: Twin, selected: string, signalIds: readonly string[]): ResolvedCommand[] {
  const out: ResolvedCommand[] = [];
  const seen = new Set<string>();
  const add = (def: Command, captures: Record<string, string>) => {
    const id = fillTemplate(def.id, captures);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ def, id, label: fillTemplate(def.label, captures), captures });
  };
  const signalCaps = signalIds.map((s) => signalCaptures(twin, s)).filter((c) => c !== null);
  for (const def of twin.commands) {
    const names = placeholders(def.id);
    if (def.node !== undefined) {
      if (def.node === selected || def.node.startsWith(`${selected}/`)) {
        if (names.length === 0) add(def, {});
        else for (const c of signalCaps) if (names.every((n) => n in c)) add(def, c);
      }
      continue;
    }
    if (names.length === 0) continue;
    for (const c of signalCaps) {
      if (!names.every((n) => n in c)) continue;
      const captures: Record<string, string> = {};
      for (const n of names) captures[n] = c[n];
      add(def, captures);
    }
  }
  return out;
}

export function paramLabel(p: CommandParam): string {
  return p.label ?? p.id;
}

/** The text (or checkbox state) an input starts with. */
export function initialInput(p: CommandParam): string | boolean {
  switch (p.kind) {
    case 'number':
      return p.default !== undefined ? String(p.default) : '';
    case 'enum':
      return p.default ?? p.values[0];
    case 'boolean':
      return p.default;
  }
}

/** Reads one input; an error says, in words for the operator, what is allowed. */
export function parseParam(
  p: CommandParam,
  raw: string | boolean,
): { ok: true; value: ParamValue } | { ok: false; error: string } {
  const name = paramLabel(p);
  switch (p.kind) {
    case 'boolean':
      return typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : { ok: false, error: `${name} must be true or false` };
    case 'enum':
      return typeof raw === 'string' && p.values.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, error: `${name} must be one of ${p.values.join(', ')}` };
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      const unit = p.unit ? ` ${p.unit}` : '';
      const range =
        p.min !== undefined && p.max !== undefined
          ? ` between ${p.min} and ${p.max}${unit}`
          : p.min !== undefined
            ? ` of at least ${p.min}${unit}`
            : p.max !== undefined
              ? ` of at most ${p.max}${unit}`
              : '';
      // Number('') is 0 and Number('0x10') is 16: only plain decimal notation counts.
      const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(value)) return { ok: false, error: `${name} must be a number${range}` };
      if ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max))
        return { ok: false, error: `${name} must be${range}` };
      if (p.step !== undefined) {
        const steps = (value - (p.min ?? 0)) / p.step;
        if (Math.abs(steps - Math.round(steps)) > 1e-9)
          return { ok: false, error: `${name} must be in steps of ${p.step}` };
      }
      return { ok: true, value };
    }
  }
}

/** Every input checked; errors by parameter id. */
export function checkParams(
  def: Command,
  inputs: Readonly<Record<string, string | boolean | number | undefined>>,
): { ok: true; values: Record<string, ParamValue> } | { ok: false; errors: Record<string, string> } {
  const values: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const p of def.params) {
    const raw = inputs[p.id];
    const r = parseParam(p, typeof raw === 'number' ? String(raw) : (raw ?? ''));
    if (r.ok) values[p.id] = r.value;
    else errors[p.id] = r.error;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/**
 * The topic and payload text of one request. In the payload template a string that is exactly
 * "{param}" becomes the parameter's typed value (a number stays a number); other strings have
 * captures, parameters and {requestId} filled in as text. A string payload is sent as it is; any
 * other JSON value as JSON.
 */
export function buildMessage(
  cmd: ResolvedCommand,
  values: Readonly<Record<string, ParamValue>>,
  requestId: string,
): { topic: string; payload: string } {
  const text: Record<string, string> = { ...cmd.captures, requestId };
  for (const [k, v] of Object.entries(values)) text[k] = String(v);
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v);
      if (whole && whole[1] in values) return values[whole[1]];
      return fillTemplate(v, text);
    }
    if (Array.isArray(v)) return v.map(fill);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = fill(item);
      return out;
    }
    return v;
  };
  const filled = fill(cmd.def.payload);
  return {
    topic: fillTemplate(cmd.def.topic, cmd.captures),
    payload: typeof filled === 'string' ? filled : JSON.stringify(filled),
  };
}

/** The MQTT 5 Response Topic of one dashboard, unless a command names its own. */
export function defaultResponseTopic(twinId: string, clientTag: string): string {
  return `${NAMESPACE_ROOT}/${topicLevel(twinId)}/responses/${topicLevel(clientTag)}`;
}

const MAX_REPLY_BYTES = 16 * 1024;
const MAX_REASON_CHARS = 200;
/** Request ids remembered after they finished, so a late duplicate is still ignored. */
const REMEMBERED_IDS = 1000;

interface Pending {
  status: CommandStatus;
  def: Command;
  deadline: number;
  /** Where the reply comes, for replies via a topic. */
  replyTopic?: string;
  /** The broker has accepted the publish (or it was QoS 0 and went out). */
  published: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Follows requests of one dashboard session. Each method returns the status that changed (or
 * null), for the worker to post; nothing here publishes or keeps time by itself.
 */
export class CommandTracker {
  private readonly pending = new Map<string, Pending>();
  private readonly done = new Set<string>();
  private readonly now: () => number;
  private readonly replyLevels: string[][];

  constructor(
    private readonly twin: Twin,
    private readonly options: { responseTopic: string; now?: () => number },
  ) {
    this.now = options.now ?? Date.now;
    this.replyLevels = Object.keys(this.replyFilters()).map((f) => f.split('/'));
  }

  /** The filters to subscribe for replies: the reply topics (captures as "+") and the response topic. */
  replyFilters(): Record<string, { qos: 0 | 1 }> {
    const out: Record<string, { qos: 0 | 1 }> = {};
    for (const c of this.twin.commands) {
      if (!c.reply) continue;
      const topic = c.reply.topic ?? (c.reply.via === 'response-topic' ? this.options.responseTopic : undefined);
      if (topic === undefined) continue;
      out[toMqttFilter(topic.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, '+'))] = { qos: 1 };
    }
    return out;
  }

  /**
   * Starts a request: the status (pending, or refused when it cannot be sent) and what to publish.
   * Null for a request id seen before: a double click sends once.
   */
  submit(req: CommandRequest): { status: CommandStatus; publish?: CommandPublish } | null {
    if (this.pending.has(req.requestId) || this.done.has(req.requestId)) return null;
    const now = this.now();
    const cmd = resolveCommand(this.twin, req.commandId);
    const base = { requestId: req.requestId, commandId: req.commandId, sentAt: now, at: now };
    if (!cmd) {
      this.remember(req.requestId);
      const status: CommandStatus = {
        ...base,
        label: req.commandId,
        topic: '',
        payload: '',
        state: 'refused',
        reason: `not sent: the twin has no command "${req.commandId}"`,
      };
      return { status };
    }
    const checked = checkParams(cmd.def, req.params as Record<string, ParamValue>);
    const values = checked.ok ? checked.values : {};
    const message = buildMessage(cmd, values, req.requestId);
    const status: CommandStatus = { ...base, label: cmd.label, ...message, state: 'pending' };
    if (!checked.ok) {
      this.remember(req.requestId);
      return {
        status: { ...status, state: 'refused', reason: `not sent: ${Object.values(checked.errors).join('; ')}` },
      };
    }
    const reply = cmd.def.reply;
    const entry: Pending = {
      status,
      def: cmd.def,
      deadline: now + (parseDuration(cmd.def.timeout) ?? 10_000),
      published: false,
    };
    const publish: CommandPublish = { ...message, qos: cmd.def.qos };
    if (reply?.via === 'response-topic') {
      publish.responseTopic = reply.topic ? fillTemplate(reply.topic, cmd.captures) : this.options.responseTopic;
      publish.correlationData = encoder.encode(req.requestId);
    } else if (reply?.via === 'topic' && reply.topic) {
      entry.replyTopic = fillTemplate(reply.topic, cmd.captures);
    }
    this.pending.set(req.requestId, entry);
    return { status, publish };
  }

  /** The broker's answer to the publish: refused ends the request; accepted confirms one that expects no reply. */
  published(
    requestId: string,
    result: { ok: true } | { ok: false; reason: string; reasonCode?: number },
  ): CommandStatus | null {
    const entry = this.pending.get(requestId);
    if (!entry) return null; // already answered (a fast reply) or timed out
    if (!result.ok) return this.finish(entry, 'refused', result.reason, result.reasonCode);
    entry.published = true;
    return entry.def.reply ? null : this.finish(entry, 'confirmed');
  }

  /** Whether a message on this topic may be a reply (the worker keeps those away from the rules). */
  isReplyTopic(topic: string): boolean {
    // Asked for every message the worker receives: no split, no closure, nothing allocated.
    for (let k = 0; k < this.replyLevels.length; k++) if (matchesLevels(this.replyLevels[k], topic)) return true;
    return false;
  }

  /** A message that may be a reply; the status it settled, or null. */
  handleMessage(topic: string, payload: Uint8Array | string, correlationData?: Uint8Array): CommandStatus | null {
    let entry: Pending | undefined;
    const text = () => (typeof payload === 'string' ? payload : decoder.decode(payload));
    let body: unknown = MISSING;
    const parsed = () => {
      if (body !== MISSING) return body;
      const size = typeof payload === 'string' ? payload.length : payload.byteLength;
      try {
        body = size > MAX_REPLY_BYTES ? undefined : (JSON.parse(text()) as unknown);
      } catch {
        body = undefined;
      }
      return body;
    };
    if (correlationData) {
      const candidate = this.pending.get(decoder.decode(correlationData));
      if (candidate?.def.reply?.via === 'response-topic') entry = candidate;
    } else {
      for (const e of this.pending.values()) {
        if (e.replyTopic !== topic || !e.def.reply) continue;
        const match = e.def.reply.match;
        if (match === undefined) {
          entry = e; // the oldest request on that topic: the device does not say which one it answers
          break;
        }
        const steps = parseValuePath(match);
        if (steps.ok && String(readValuePath(parsed(), steps.steps)) === e.status.requestId) {
          entry = e;
          break;
        }
      }
    }
    if (!entry) return null;
    const reply = entry.def.reply!;
    if (reply.ok === undefined) return this.finish(entry, 'confirmed');
    const okSteps = parseValuePath(reply.ok);
    const ok = okSteps.ok ? readValuePath(parsed(), okSteps.steps) : MISSING;
    if (ok === true || ok === 1 || ok === 'ok' || ok === 'true') return this.finish(entry, 'confirmed');
    let reason: string | undefined;
    if (reply.reason !== undefined) {
      const steps = parseValuePath(reply.reason);
      const r = steps.ok ? readValuePath(parsed(), steps.steps) : MISSING;
      if (r !== MISSING && r !== undefined && r !== null) reason = typeof r === 'string' ? r : JSON.stringify(r);
    }
    if (reason === undefined)
      reason = ok === MISSING ? `the reply has no "${reply.ok}" field` : 'the device did not say why';
    return this.finish(entry, 'rejected', reason.slice(0, MAX_REASON_CHARS));
  }

  /** Requests whose reply did not come in time. */
  tick(): CommandStatus[] {
    const now = this.now();
    const out: CommandStatus[] = [];
    for (const e of this.pending.values()) {
      if (now < e.deadline) continue;
      const waited = e.published ? 'no reply' : 'no answer from the broker';
      out.push(
        this.finish(
          e,
          'timed-out',
          `${waited} within ${e.def.timeout}${typeof e.def.timeout === 'number' ? ' s' : ''}`,
        ),
      );
    }
    return out;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private finish(entry: Pending, state: CommandState, reason?: string, reasonCode?: number): CommandStatus {
    this.pending.delete(entry.status.requestId);
    this.remember(entry.status.requestId);
    const status: CommandStatus = { ...entry.status, state, at: this.now() };
    if (reason !== undefined) status.reason = reason;
    if (reasonCode !== undefined) status.reasonCode = reasonCode;
    entry.status = status;
    return status;
  }

  private remember(requestId: string): void {
    this.done.add(requestId);
    // Oldest first out: a Set iterates in insertion order.
    if (this.done.size > REMEMBERED_IDS) this.done.delete(this.done.values().next().value as string);
  }
}

/** Whether `topic` matches a filter given as its levels ("+" matches one level), without splitting it. */
function matchesLevels(levels: readonly string[], topic: string): boolean {
  let start = 0;
  for (let i = 0; i < levels.length; i++) {
    const last = i === levels.length - 1;
    const slash = topic.indexOf('/', start);
    if (last ? slash !== -1 : slash === -1) return false;
    const stop = last ? topic.length : slash;
    const level = levels[i];
    if (level !== '+' && (stop - start !== level.length || !topic.startsWith(level, start))) return false;
    start = stop + 1;
  }
  return true;
}
