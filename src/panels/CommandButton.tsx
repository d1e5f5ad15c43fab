import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { commandAllowedIn, resolveCommand, screenMode, type ResolvedCommand } from '../engine/commands';
import { currentSession } from '../app/session';
import { useApp } from '../store/app';
import { useCommands } from '../store/commands';
import { CommandDialog } from './CommandDialog';
import { commandStateText } from './commandText';

/** The screen this page runs as; read once: `?mode=` does not change without a reload. */
const MODE = screenMode(globalThis.location?.search ?? '');

/** Commands this screen may send (kiosk and embed only where the twin allows them). */
export function allowedHere(command: ResolvedCommand): boolean {
  return commandAllowedIn(command.def, MODE);
}

/**
 * One command: a button that opens its confirmation (or, for a command declared without confirm and
 * without inputs, sends at once), and the state of the last request sent from here.
 */
export function CommandButton({ command }: { command: ResolvedCommand }) {
  const { t } = useTranslation('commands');
  const [open, setOpen] = useState(false);
  const [lastRequest, setLastRequest] = useState<string | null>(null);
  const last = useCommands((s) => (lastRequest ? s.byId[lastRequest] : undefined));
  const direct = !command.def.confirm && command.def.params.length === 0;
  const pending = last?.state === 'pending';
  const click = () => {
    if (!direct) return setOpen(true);
    // Without a dialog, the button itself waits for the answer: a double click sends once.
    if (pending) return;
    const requestId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    setLastRequest(requestId);
    currentSession()?.command({ requestId, commandId: command.id, params: {} });
  };
  return (
    <span className="command" data-command-id={command.id}>
      <button type="button" onClick={click} disabled={direct && pending} aria-haspopup={direct ? undefined : 'dialog'}>
        {command.label}
        {direct ? '' : '…'}
      </button>
      {last && (
        <span className="command-last" role="status" data-testid={`command-last-${command.id}`} data-state={last.state}>
          {commandStateText(last, t)}
        </span>
      )}
      {open && (
        <CommandDialog
          command={command}
          onClose={(requestId) => {
            setOpen(false);
            if (requestId) setLastRequest(requestId);
          }}
        />
      )}
    </span>
  );
}

/** An alarm's suggested command: a button on screens that may command, its name otherwise. */
export function SuggestedCommand({ id }: { id: string }) {
  const { t } = useTranslation('commands');
  const twin = useApp((s) => (s.load.state === 'ready' ? s.load.twin : null));
  const command = twin ? resolveCommand(twin, id) : null;
  if (!command) return null;
  return (
    <p className="suggested-command">
      {t('suggested')} {allowedHere(command) ? <CommandButton command={command} /> : command.label}
    </p>
  );
}

/** The commands a part offers, for its inspector. */
export function CommandList({ commands }: { commands: ResolvedCommand[] }) {
  const { t } = useTranslation('commands');
  const allowed = commands.filter(allowedHere);
  if (allowed.length === 0) return null;
  return (
    <>
      <h3>{t('title')}</h3>
      <ul className="commands" data-testid="inspector-commands">
        {allowed.map((c) => (
          <li key={c.id}>
            <CommandButton command={c} />
          </li>
        ))}
      </ul>
    </>
  );
}
