/** Connects a loaded twin to the engine worker and routes what it sends into the stores. */
import type { Twin } from '../twin/schema';
import type { FromWorker } from '../engine/protocol';
import { startEngine } from '../engine/engineClient';
import { telemetry } from '../store/telemetry';
import { useApp } from '../store/app';

export interface Session {
  acknowledge(alarmId: string): void;
  stop(): void;
}

let current: Session | null = null;

export function currentSession(): Session | null {
  return current;
}

export function startSession(twin: Twin, brokerUrl: string): Session {
  current?.stop();
  telemetry.reset();
  let lastStats: { at: number; messages: number } | null = null;
  const onMessage = (m: FromWorker) => {
    switch (m.type) {
      case 'signals':
        telemetry.addSignals(m.added);
        break;
      case 'batch':
        telemetry.applyBatch(m);
        break;
      case 'connection':
        useApp.setState({ connection: m.status });
        break;
      case 'alarms':
        useApp.setState({ alarms: m.alarms });
        break;
      case 'stats': {
        const now = Date.now();
        const rate = lastStats ? ((m.stats.messages - lastStats.messages) * 1000) / Math.max(1, now - lastStats.at) : 0;
        lastStats = { at: now, messages: m.stats.messages };
        useApp.setState({ stats: m.stats, messageRate: rate });
        break;
      }
      case 'error':
        useApp.setState({ engineError: m.message });
        break;
      default: {
        const never: never = m;
        console.warn('unknown engine message', never);
      }
    }
  };
  const engine = startEngine(twin, { brokerUrl }, onMessage);
  const session: Session = {
    acknowledge: (id) => engine.acknowledge(id, 'operator'),
    stop: () => {
      engine.stop();
      if (current === session) current = null;
    },
  };
  current = session;
  return session;
}
