import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { SqlRunResult } from '../../../../shared/contract';
import { Modal } from '../Modal';
import { RiskBadge } from './RiskBadge';
import { RehearsalView } from './RehearsalView';
import { StatementResult } from './StatementResults';

function useSecondsLeft(expiresAt: string): number {
  const left = () => Math.max(0, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(left()), 250);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return seconds;
}

interface Props {
  pending: SqlRunResult;
  typedName: string;
  busy: boolean;
  onType(name: string): void;
  onDecide(decision: 'commit' | 'rollback'): void;
}

/**
 * The break-glass dialog: what the write did inside its open transaction (rows per statement,
 * EXPLAIN), the reasons of dangerous statements, and the confirmation (the profile's name typed
 * on production). Roll back is the default; the countdown says when it rolls back by itself.
 */
export function ConfirmDialog({ pending, typedName, busy, onType, onDecide }: Props) {
  const confirmation = pending.confirmation!;
  const seconds = useSecondsLeft(confirmation.expiresAt);
  const rollback = useRef<HTMLButtonElement>(null);
  const typed = confirmation.policy === 'type-profile-name';
  useLayoutEffect(() => rollback.current?.focus(), []);
  return (
    <Modal
      className="modal sql-confirm"
      role="alertdialog"
      testId="sql-confirm-dialog"
      describedBy="sql-confirm-summary"
      onEscape={() => onDecide('rollback')}
      title={{
        id: 'sql-confirm-title',
        level: 3,
        text: (
          <>
            Break-glass <RiskBadge risk={pending.risk} testId="sql-confirm-risk" /> on {confirmation.profileName}
            {pending.role && <span data-testid="sql-confirm-role"> as {pending.role}</span>}
          </>
        ),
      }}
    >
      <p id="sql-confirm-summary">
        {confirmation.previewed ? (
          'This ran inside a transaction that is still open: nothing is kept until you commit.'
        ) : (
          <strong className="reason-dangerous" data-testid="sql-confirm-note">
            {confirmation.note}
          </strong>
        )}{' '}
        <strong data-testid="sql-countdown">
          {confirmation.previewed ? 'Rolls back' : 'Dropped unrun'} in {seconds} s
        </strong>{' '}
        unless you decide.
      </p>
      {pending.parameters && pending.parameters.length > 0 && (
        <p className="result-meta">
          Parameters: {pending.parameters.map((p) => `${p.name} = ${JSON.stringify(p.value)}`).join(', ')}
        </p>
      )}
      <div className="statements">
        {pending.statements.map((statement, i) => (
          <StatementResult key={i} statement={statement} index={i} preview />
        ))}
      </div>
      {!pending.parameters?.length && <RehearsalView runId={pending.runId} profileId={pending.profileId} />}
      <form
        className="confirm-form"
        onSubmit={(e) => {
          e.preventDefault();
          onDecide('commit');
        }}
      >
        {typed && (
          <label>
            <span>
              Type <strong>{confirmation.profileName}</strong> to commit on this production profile
            </span>
            <input
              value={typedName}
              onChange={(e) => onType(e.target.value)}
              autoComplete="off"
              spellCheck="false"
              data-testid="sql-confirm-name"
            />
          </label>
        )}
        <div className="actions">
          <button
            type="button"
            ref={rollback}
            onClick={() => onDecide('rollback')}
            disabled={busy}
            data-testid="sql-rollback"
          >
            Roll back
          </button>
          <button type="submit" className="danger-solid" disabled={busy} data-testid="sql-commit">
            {confirmation.previewed ? 'Commit' : 'Run it'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
