/** Operator actions go to the session running at the moment of the action, or say why they cannot. */
import type { Session } from '../app/session';

export const NO_SESSION =
  'Not sent: the engine is not running (the twin was closed or its engine stopped). Reload the page to act on alarms.';

/**
 * Runs `act` on `session` when it is running and returns null, or returns the text to show the
 * operator when there is no running session (nothing was sent).
 */
export function actOnSession(session: Session | null, act: (session: Session) => void): string | null {
  if (session === null || !session.running) return NO_SESSION;
  act(session);
  return null;
}
