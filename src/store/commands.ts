/**
 * Commands sent from this page and how each ended (zustand). Command states change a few times per
 * request, never per telemetry message, so panels may render from this store directly. Bounded: the
 * newest requests only.
 */
import { create } from 'zustand';
import type { CommandStatus } from '../engine/commands';

/** Requests kept for display; older ones drop off. */
export const MAX_COMMANDS = 50;

export interface CommandStoreState {
  /** By request id, insertion-ordered (oldest first). */
  byId: Record<string, CommandStatus>;
}

export const useCommands = create<CommandStoreState>(() => ({ byId: {} }));

export function receiveCommandState(status: CommandStatus): void {
  useCommands.setState((s) => {
    const byId = { ...s.byId, [status.requestId]: status };
    const ids = Object.keys(byId);
    for (let i = 0; i < ids.length - MAX_COMMANDS; i++) delete byId[ids[i]];
    return { byId };
  });
}

/** A request that the page could not even hand to the engine (stopped): shown like the worker's refusals. */
export function refuseLocally(status: Omit<CommandStatus, 'state' | 'at'>, reason: string): void {
  receiveCommandState({ ...status, state: 'refused', reason, at: Date.now() });
}

/**
 * Requests still pending when their engine went away (a worker restart): their answer will never
 * arrive here, so they end as timed out, saying why; the plant may still have acted on them.
 */
export function abandonPendingCommands(reason: string): void {
  const now = Date.now();
  useCommands.setState((s) => {
    const byId = { ...s.byId };
    for (const [id, c] of Object.entries(byId))
      if (c.state === 'pending') byId[id] = { ...c, state: 'timed-out', reason, at: now };
    return { byId };
  });
}

export function resetCommands(): void {
  useCommands.setState({ byId: {} });
}
