/**
 * Applies one dashboard request to the engine. Pure apart from the engine it is given: the operator
 * recorded is the `<user>` level of the request topic (the broker's ACL makes that the authenticated
 * MQTT user name); a name typed in the page is kept only as a note in the comment.
 */
import type { AlarmAction } from '../../src/engine/protocol';
import {
  NAMESPACE_VERSION,
  type AuditRecord,
  type ServiceReply,
  type ServiceRequest,
} from '../../src/engine/namespace';

/** What the request handler needs of the engine. */
export interface AlarmTarget {
  acknowledge(alarmId: string, operator?: string, comment?: string): boolean;
  alarmAction(action: AlarmAction): boolean;
}

type CommandRecord = Extract<AuditRecord, { kind: 'command' }>;

export interface RequestOutcome {
  reply: ServiceReply;
  /** A command to append to the audit log (without its sequence number, which the log gives). */
  command?: Omit<CommandRecord, 'seq'>;
}

const RESULTS: readonly CommandRecord['result'][] = ['sent', 'confirmed', 'rejected', 'refused', 'timed-out'];
const MAX_COMMENT = 2000;

/** The comment with a typed name that differs from the MQTT user kept as a note. */
export function noteTypedName(
  user: string,
  typed: string | undefined,
  comment: string | undefined,
): string | undefined {
  const name = typed?.trim();
  if (!name || name === user) return comment;
  const note = `(name typed in the page: ${name})`;
  return comment ? `${comment} ${note}` : note;
}

export function applyRequest(
  engine: AlarmTarget,
  knownAlarms: ReadonlySet<string>,
  request: ServiceRequest,
  user: string,
): RequestOutcome {
  const fail = (error: string): RequestOutcome => ({
    reply: { v: NAMESPACE_VERSION, id: request.id, ok: false, error },
  });
  const ok: RequestOutcome = { reply: { v: NAMESPACE_VERSION, id: request.id, ok: true } };
  switch (request.kind) {
    case 'acknowledge': {
      if (!knownAlarms.has(request.alarmId)) return fail(`no alarm "${request.alarmId}" in this twin`);
      if ((request.comment?.length ?? 0) > MAX_COMMENT) return fail(`comment longer than ${MAX_COMMENT} characters`);
      const comment = noteTypedName(user, request.operator, request.comment);
      return engine.acknowledge(request.alarmId, user, comment)
        ? ok
        : fail(`alarm "${request.alarmId}" has nothing to acknowledge (already acknowledged, normal, or shelved)`);
    }
    case 'alarm-action': {
      const a = request.action;
      if (!knownAlarms.has(a.alarmId)) return fail(`no alarm "${a.alarmId}" in this twin`);
      if ('comment' in a && typeof a.comment === 'string' && a.comment.length > MAX_COMMENT)
        return fail(`comment longer than ${MAX_COMMENT} characters`);
      const action = withOperator(a, user);
      return engine.alarmAction(action) ? ok : fail(`${a.kind} does not apply to alarm "${a.alarmId}" in its state`);
    }
    case 'command-audit': {
      const r = request.record as Partial<CommandRecord>;
      const problem = commandProblem(r);
      if (problem) return fail(problem);
      const command: Omit<CommandRecord, 'seq'> = {
        v: NAMESPACE_VERSION,
        kind: 'command',
        t: r.t!,
        commandId: r.commandId!,
        operator: user,
        topic: r.topic!,
        payload: r.payload!,
        result: r.result!,
      };
      if (typeof r.reason === 'string') command.reason = r.reason;
      return { ...ok, command };
    }
  }
}

/** The action as the user of the topic did it; a typed operator name becomes a note. */
function withOperator(a: AlarmAction, user: string): AlarmAction {
  switch (a.kind) {
    case 'shelve':
    case 'out-of-service':
      return { ...a, operator: user, comment: noteTypedName(user, a.operator, a.comment) };
    case 'comment':
      return { ...a, operator: user, comment: noteTypedName(user, a.operator, a.comment) ?? a.comment };
    case 'unshelve':
    case 'reset':
      return { ...a, operator: user };
  }
}

function commandProblem(r: Partial<CommandRecord>): string | null {
  if (typeof r.t !== 'number' || !Number.isFinite(r.t)) return 'command-audit needs a time t (ms)';
  if (typeof r.commandId !== 'string' || r.commandId.length === 0 || r.commandId.length > 200)
    return 'command-audit needs a commandId';
  if (typeof r.topic !== 'string' || r.topic.length === 0 || r.topic.length > 1000)
    return 'command-audit needs a topic';
  if (typeof r.payload !== 'string' || r.payload.length > 16_000) return 'command-audit needs a payload (text)';
  if (!RESULTS.includes(r.result as CommandRecord['result']))
    return `command-audit result must be one of ${RESULTS.join(', ')}`;
  if (r.reason !== undefined && typeof r.reason !== 'string') return 'command-audit reason must be text';
  return null;
}
