/**
 * Wires the embed API (embedApi.ts) to the page: listens for the host's commands, applies them to the
 * stores, and tells the host what happens. Only messages from the parent window on an allowed origin
 * (`?hostOrigin=`, the same allowlist as the host's credentials) are read; everything else is ignored
 * and counted. Events go to each allowed origin by name (postMessage with that exact target origin,
 * never "*"), so a page that frames the dashboard without being on the list hears nothing.
 */
import type { Twin } from '../twin/schema';
import type { ConnectionStatus } from '../engine/protocol';
import { requestFocus, useApp } from '../store/app';
import { useAlarms } from '../store/alarms';
import { useTheme } from '../scene/theme';
import { currentSession } from './session';
import { useTimeCursor } from '../store/timeCursor';
import {
  alarmEvents,
  parseEmbedMessage,
  readyEvent,
  timeChangedEvent,
  type EmbedCommand,
  type EmbedEvent,
  type EmbedSettings,
} from './embedApi';

/** Counters the page shows (data attributes on the embed root) so a refused host can be diagnosed. */
export interface EmbedCounters {
  /** Messages from a window or origin that is not an allowed host: ignored. */
  ignored: number;
  /** Messages from an allowed host that failed validation or were not allowed: answered with an error. */
  refused: number;
}

export function startEmbedBridge(
  twin: Twin,
  settings: EmbedSettings,
  allowed: readonly string[],
  onCounters: (counters: EmbedCounters) => void,
  win: Window = window,
): () => void {
  const counters: EmbedCounters = { ignored: 0, refused: 0 };
  const framed = win.parent !== win;
  const post = (event: EmbedEvent, only?: string) => {
    if (!framed) return;
    for (const origin of only ? [only] : allowed) win.parent.postMessage(event, origin);
  };
  const ctx = {
    viewIds: twin.views.map((v) => v.id),
    hostMayAcknowledge: twin.embed?.hostMayAcknowledge ?? false,
    readOnly: settings.readOnly,
  };

  const apply = (command: EmbedCommand): string | null => {
    switch (command.type) {
      case 'twinview:select':
        useApp.setState({ selected: command.path });
        if (command.path) requestFocus(command.path);
        return null;
      case 'twinview:set-view':
        useApp.setState((s) => ({ view: { id: command.view, seq: (s.view?.seq ?? 0) + 1 } }));
        return null;
      case 'twinview:set-theme':
        // Applied, not remembered: the host's choice is not the operator's.
        useTheme.setState({ theme: command.theme });
        return null;
      case 'twinview:acknowledge': {
        const alarm = useAlarms.getState().all.find((a) => a.id === command.alarmId);
        if (!alarm || (alarm.state !== 'active' && alarm.state !== 'cleared-unacknowledged'))
          return 'no alarm waiting for acknowledgement has that id';
        const session = currentSession();
        if (!session?.running) return 'not connected';
        session.acknowledge(command.alarmId, command.comment ?? 'acknowledged from the host page');
        return null;
      }
      case 'twinview:set-time-range': {
        // Validated already (numbers, order, span); the cursor keeps the moment within the range and not past now.
        const cursor = useTimeCursor.getState();
        cursor.setRange(command.from, command.to);
        useTimeCursor.getState().seek(command.at ?? command.to);
        return null;
      }
      case 'twinview:live':
        useTimeCursor.getState().goLive();
        return null;
    }
  };

  const listener = (event: MessageEvent) => {
    if (event.source !== win.parent || !allowed.includes(event.origin)) {
      counters.ignored += 1;
      onCounters({ ...counters });
      return;
    }
    const parsed = parseEmbedMessage(event.data, ctx);
    if (parsed.kind === 'other') return;
    const problem = parsed.kind === 'invalid' ? parsed.reason : apply(parsed.command);
    if (problem !== null) {
      counters.refused += 1;
      onCounters({ ...counters });
      // The answer goes to the origin that asked, which is on the list.
      post(
        {
          type: 'twinview:error',
          command: parsed.kind === 'invalid' ? parsed.command : parsed.command.type,
          reason: problem,
        },
        event.origin,
      );
    }
  };
  win.addEventListener('message', listener);

  post(readyEvent(twin, settings.readOnly));
  // Changes here are rare (a selection, a connection change, an alarm transition): never per message.
  let lastConnection: ConnectionStatus['state'] | 'none' = useApp.getState().connection?.state ?? 'none';
  post({ type: 'twinview:connection-changed', state: lastConnection });
  const stopApp = useApp.subscribe((s, prev) => {
    if (s.selected !== prev.selected) post({ type: 'twinview:selection-changed', path: s.selected });
    const state = s.connection?.state ?? 'none';
    if (state !== lastConnection) {
      lastConnection = state;
      post({ type: 'twinview:connection-changed', state });
    }
  });
  // Alarms already up when the host connects are reported as raised, so the host starts complete.
  for (const e of alarmEvents([], useAlarms.getState().all)) post(e);
  const stopAlarms = useAlarms.subscribe((s, prev) => {
    if (s.all !== prev.all) for (const e of alarmEvents(prev.all, s.all)) post(e);
  });

  let lastTimeEvent = 0;
  const stopTime = useTimeCursor.subscribe((s, prev) => {
    const now = Date.now();
    const event = timeChangedEvent(prev, s, now - lastTimeEvent);
    if (!event) return;
    lastTimeEvent = now;
    post(event);
  });

  return () => {
    win.removeEventListener('message', listener);
    stopApp();
    stopAlarms();
    stopTime();
  };
}
