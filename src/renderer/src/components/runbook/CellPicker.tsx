import { useApp } from '../../store';
import { cellText } from '../../../../shared/runbook-variables';
import { variableNames } from '../../store/runbook-values';

/**
 * "Use as `pid`": a value clicked in a step's result becomes a runbook variable that fills the
 * later steps' parameter of that name. The column's own name is offered first.
 */
export function CellPicker({
  stepId,
  picked,
  onClose,
}: {
  stepId: string;
  picked: { value: unknown; column: string };
  onClose: () => void;
}) {
  const plan = useApp((s) => s.runbookPlan!);
  const choose = useApp.getState().runbookVariableChosen;
  const text = cellText(picked.value) ?? '';
  const names = variableNames(plan).sort((a, b) => Number(b === picked.column) - Number(a === picked.column));
  return (
    <div
      className="cell-picker"
      role="group"
      aria-label="Use the chosen value in later steps"
      data-testid="runbook-cell-picker"
    >
      <p className="result-meta">
        <code>{text.length > 120 ? `${text.slice(0, 120)}…` : text}</code> from column {picked.column}
      </p>
      {names.length === 0 && (
        <p className="result-meta">No later step has a parameter to fill: nothing to use it as.</p>
      )}
      {names.map((name) => (
        <button
          key={name}
          type="button"
          onClick={() => {
            choose(name, text, `a result cell of step ${stepId} (${picked.column})`);
            onClose();
          }}
          data-testid={`runbook-use-as-${name}`}
        >
          Use as <code>{name}</code>
        </button>
      ))}
      <button type="button" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}
