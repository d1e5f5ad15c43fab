import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  buildMessage,
  checkParams,
  initialInput,
  paramLabel,
  parseParam,
  type CommandStatus,
  type ResolvedCommand,
} from '../engine/commands';
import { currentSession } from '../app/session';
import { useCommands, refuseLocally } from '../store/commands';
import { commandStateText } from './commandText';

/** A fresh id per dialog: everything sent from one dialog is one request, so a double click sends once. */
function newRequestId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The confirmation of one command: its inputs (checked as they are typed), exactly what goes to
 * which topic, then the request's state until it ends. A modal <dialog>: focus stays inside, Escape
 * or Close leaves; what was sent keeps going and its state stays beside the command's button.
 */
export function CommandDialog({
  command,
  onClose,
}: {
  command: ResolvedCommand;
  onClose(requestId: string | null): void;
}) {
  const { t } = useTranslation('commands');
  const ref = useRef<HTMLDialogElement>(null);
  const [requestId] = useState(newRequestId);
  const [inputs, setInputs] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(command.def.params.map((p) => [p.id, initialInput(p)])),
  );
  const [sent, setSent] = useState(false);
  const sentRef = useRef(false);
  const status = useCommands((s) => s.byId[requestId]) as CommandStatus | undefined;
  const baseId = useId();

  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // With inputs, focus starts in the first one; without, on Cancel, so that a stray Enter sends nothing.
    if (command.def.params.length === 0) cancelRef.current?.focus();
    // Once, when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const checked = checkParams(command.def, inputs);
  const message = useMemo(
    () => buildMessage(command, checked.ok ? checked.values : {}, requestId),
    // Rebuilt when an input changes; `checked` is derived from the inputs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [command, requestId, JSON.stringify(inputs)],
  );

  const send = () => {
    // The ref, not the state: two clicks of one double click both run before React renders again.
    if (sentRef.current || !checked.ok) return;
    sentRef.current = true;
    setSent(true);
    const session = currentSession();
    if (!session?.running) {
      refuseLocally(
        { requestId, commandId: command.id, label: command.label, ...message, sentAt: Date.now() },
        t('notConnected'),
      );
      return;
    }
    session.command({ requestId, commandId: command.id, params: checked.values });
  };

  const close = () => {
    ref.current?.close();
  };

  const titleId = `${baseId}-title`;
  return (
    <dialog
      ref={ref}
      className="command-dialog"
      aria-labelledby={titleId}
      data-testid="command-dialog"
      onClose={() => onClose(sentRef.current ? requestId : null)}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <h2 id={titleId}>{command.label}</h2>
        {command.def.params.map((p) => {
          const id = `${baseId}-${p.id}`;
          const parsed = parseParam(p, inputs[p.id] ?? '');
          const errorId = `${id}-error`;
          const set = (v: string | boolean) => setInputs((s) => ({ ...s, [p.id]: v }));
          return (
            <div className="command-param" key={p.id}>
              <label htmlFor={id}>
                {paramLabel(p)}
                {p.kind === 'number' && p.unit ? ` (${p.unit})` : ''}
              </label>
              {p.kind === 'number' ? (
                <input
                  id={id}
                  type="text"
                  inputMode="decimal"
                  value={String(inputs[p.id] ?? '')}
                  disabled={sent}
                  aria-invalid={!parsed.ok}
                  aria-describedby={parsed.ok ? undefined : errorId}
                  // The default is selected, so typing a new value replaces it instead of appending to it.
                  onFocus={(e) => e.currentTarget.select()}
                  onChange={(e) => set(e.target.value)}
                />
              ) : p.kind === 'enum' ? (
                <select id={id} value={String(inputs[p.id])} disabled={sent} onChange={(e) => set(e.target.value)}>
                  {p.values.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  type="checkbox"
                  checked={inputs[p.id] === true}
                  disabled={sent}
                  onChange={(e) => set(e.target.checked)}
                />
              )}
              {!parsed.ok && (
                <p className="command-error" id={errorId} role="alert">
                  {parsed.error}
                </p>
              )}
            </div>
          );
        })}
        <dl className="command-preview">
          <dt>{t('topic')}</dt>
          <dd>
            <code data-testid="command-topic">{message.topic}</code> {t('qos', { qos: command.def.qos })}
          </dd>
          <dt>{t('payload')}</dt>
          <dd>
            <code data-testid="command-payload">{checked.ok ? message.payload : t('fixInputs')}</code>
          </dd>
        </dl>
        {status && (
          <p className="command-status" role="status" data-testid="command-status" data-state={status.state}>
            {commandStateText(status, t)}
          </p>
        )}
        <div className="command-actions">
          {/* Stays in place once sent (disabled), so the second click of a double click lands on it. */}
          <button type="submit" disabled={sent || !checked.ok}>
            {t('send')}
          </button>
          <button type="button" ref={cancelRef} onClick={close}>
            {sent ? t('close') : t('cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
