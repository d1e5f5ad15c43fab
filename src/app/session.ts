/**
 * Connects a loaded twin to the engine worker and routes what it sends into the stores. Operator
 * actions carry a request id: the alarm's buttons wait until the worker says how it ended (applied by
 * this screen's engine, or answered by the shared alarm service).
 */
import { HTTP_TOPIC_PREFIX, type Twin } from '../twin/schema';
import type { AlarmAction, Credentials, FromWorker } from '../engine/protocol';
import { startEngine } from '../engine/engineClient';
import { telemetry } from '../store/telemetry';
import { useApp } from '../store/app';
import {
  abandonRequests,
  beginRequest,
  isAnnunciated,
  openAlarmStore,
  receiveAlarms,
  receiveAudit,
  receiveMode,
  settleRequest,
  useAlarms,
} from '../store/alarms';
import { parseDuration } from '../lib/duration';
import { browserClientId } from './browserClientId';
import { requestSceneFrame } from '../scene/sceneFrames';
import type { CommandRequest } from '../engine/commands';
import { abandonPendingCommands, receiveCommandState, resetCommands } from '../store/commands';

/** An alarm action; the session adds the operator's name. */
export type OperatorAlarmAction = WithoutOperator<AlarmAction>;
type WithoutOperator<A> = A extends AlarmAction ? Omit<A, 'operator'> : never;

export interface Session {
  acknowledge(alarmId: string, comment?: string): void;
  alarmAction(action: OperatorAlarmAction): void;
  /** Sends a command to the plant; its states arrive in the command store (src/store/commands.ts). */
  command(request: Omit<CommandRequest, 'operator'>): void;
  stop(): void;
  /** False once stopped (the twin was unloaded or another one started): actions would go nowhere. */
  readonly running: boolean;
}

let current: Session | null = null;

/**
 * The session running now, or null. Read it at the moment of an action, never during render: a
 * render may be older than the session (a panel drawn before a reload, or after the engine stopped).
 */
export function currentSession(): Session | null {
  return current;
}

/** `credentials` (asked for, or handed over by the host page) go to the worker only. */
export function startSession(twin: Twin, brokerUrl: string, credentials?: Credentials): Session {
  current?.stop();
  telemetry.reset();
  telemetry.setDefinitionPeriods(
    twin.signals.map((s) => (s.period !== undefined ? parseDuration(s.period) : null)),
    twin.signals.map((s) => s.topic.startsWith(HTTP_TOPIC_PREFIX)),
  );
  telemetry.setDefinitionStates(twin.signals.map((s) => s.map));
  let lastStats: { at: number; messages: number; bytes: number } | null = null;
  const onMessage = (m: FromWorker) => {
    switch (m.type) {
      case 'signals':
        telemetry.addSignals(m.added);
        break;
      case 'batch':
        telemetry.applyBatch(m);
        requestSceneFrame(); // the scene renders on demand: one frame per batch at most
        break;
      case 'connection':
        telemetry.online = m.status.state === 'online';
        // The broker lost the session while we were away: the outage is a gap, not a flat line.
        if (m.status.state === 'online' && m.status.gapSince !== undefined)
          telemetry.markGap(m.status.gapSince, m.status.since);
        useApp.setState({ connection: m.status });
        break;
      case 'alarms':
        receiveAlarms(m.alarms);
        // The scene and the roll-up show only what is annunciated (not shelved, suppressed, out of service).
        useApp.setState({ alarms: m.alarms.filter(isAnnunciated) });
        break;
      case 'audit':
        receiveAudit(m.entries);
        break;
      case 'stats': {
        const now = Date.now();
        const span = lastStats ? Math.max(1, now - lastStats.at) : 0;
        const rate = lastStats ? ((m.stats.messages - lastStats.messages) * 1000) / span : 0;
        const byteRate = lastStats ? ((m.stats.bytes - lastStats.bytes) * 1000) / span : 0;
        lastStats = { at: now, messages: m.stats.messages, bytes: m.stats.bytes };
        useApp.setState({ stats: m.stats, messageRate: rate, byteRate });
        break;
      }
      case 'quality':
        for (const c of m.changes) telemetry.setQuality(c.index, c.bits, c.on);
        break;
      case 'error':
        useApp.setState({ engineError: m.message });
        break;
      case 'error-resolved':
        if (useApp.getState().engineError === m.message) useApp.setState({ engineError: null });
        break;
      case 'alarm-mode':
        receiveMode(m.mode);
        break;
      case 'request-result':
        settleRequest(m.requestId, m.ok, m.error);
        break;
      case 'command-state':
        receiveCommandState(m.status);
        break;
      default: {
        const never: never = m;
        console.warn('unknown engine message', never);
      }
    }
  };
  resetCommands();
  const clientId = twin.connection.session === 'persistent' ? browserClientId(twin.id) : undefined;
  const saved = openAlarmStore(twin.id);
  useApp.setState({ alarms: saved.filter(isAnnunciated) });
  const engine = startEngine(
    twin,
    {
      brokerUrl,
      clientId,
      credentials,
      // Every (re)start gets the alarms saved here; a restart also keeps the signal indices.
      restoreState: () => ({ alarms: useAlarms.getState().all, signals: telemetry.signals.filter(Boolean) }),
      onRestart: (reason) => {
        abandonRequests('no answer: the engine restarted; check the alarm and act again if needed');
        abandonPendingCommands('no answer: the engine restarted; check the plant before sending again');
        useApp.setState({ engineError: `${reason}; restarted with alarm state kept` });
      },
    },
    onMessage,
  );
  let running = true;
  const session: Session = {
    acknowledge: (id, comment) => {
      const requestId = newRequestId();
      beginRequest(id, { requestId, what: 'acknowledge' });
      engine.acknowledge(id, useAlarms.getState().operator, comment, requestId);
    },
    alarmAction: (action) => {
      const requestId = newRequestId();
      beginRequest(action.alarmId, { requestId, what: action.kind });
      engine.alarmAction({ ...action, operator: useAlarms.getState().operator } as AlarmAction, requestId);
    },
    command: (request) => engine.command({ ...request, operator: useAlarms.getState().operator }),
    stop: () => {
      running = false;
      engine.stop();
      abandonRequests('no answer: the engine stopped');
      if (current === session) current = null;
    },
    get running() {
      return running && engine.alive;
    },
  };
  current = session;
  return session;
}

function newRequestId(): string {
  // getRandomValues works in insecure contexts too (a kiosk on plain http), unlike randomUUID.
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
