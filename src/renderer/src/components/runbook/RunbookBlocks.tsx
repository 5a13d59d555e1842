import type { RunbookBlock, RunbookStep } from '../../../../shared/runbook';
import { useId } from 'react';
import { useApp } from '../../store';
import { Markdown } from './Markdown';
import { StepCard } from './StepCard';

const calloutTitle = {
  note: 'Note',
  tip: 'Tip',
  important: 'Important',
  warning: 'Warning',
  caution: 'Caution',
} as const;

function ChecklistBlock({ steps }: { steps: RunbookStep[] }) {
  const ticks = useApp((s) => s.runbookTicks);
  const tick = useApp.getState().runbookChecklistTicked;
  const id = useId();
  return (
    <ul className="runbook-checklist" data-testid="runbook-checklist">
      {steps.map((step) => (
        <li key={step.id} data-step-id={step.id}>
          <input
            id={`${id}-${step.id}`}
            type="checkbox"
            checked={ticks[step.id] ?? false}
            onChange={(e) => void tick(step.id, e.target.checked)}
            data-testid="runbook-check"
          />
          <label htmlFor={`${id}-${step.id}`}>
            <Markdown text={step.text} inline />
          </label>
        </li>
      ))}
    </ul>
  );
}

/** One block of a section: prose, a callout, a table, a code step or a checklist. */
export function Block({ block, steps }: { block: RunbookBlock; steps: Map<string, RunbookStep> }) {
  switch (block.type) {
    case 'prose':
      return <Markdown text={block.markdown} />;
    case 'callout':
      return (
        <aside className={`runbook-callout callout-${block.kind}`} role="note" aria-label={calloutTitle[block.kind]}>
          <strong>{calloutTitle[block.kind]}</strong>
          <Markdown text={block.markdown.replace(/^\s*\[!\w+\]\s*/, '')} />
        </aside>
      );
    case 'table':
      return (
        <div className="table-scroll runbook-table">
          <table>
            <thead>
              <tr>
                {block.header.map((h, i) => (
                  <th key={i} scope="col">
                    <Markdown text={h} inline />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>
                      <Markdown text={cell} inline />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'code': {
      const own = block.stepIds.map((id) => steps.get(id)).filter((s): s is RunbookStep => !!s);
      if (own.length === 0)
        return (
          <pre className="runbook-code" aria-label={`${block.language ?? 'text'} block`}>
            <code>{block.text}</code>
          </pre>
        );
      return (
        <>
          {own.map((step) => (
            <StepCard key={step.id} step={step} />
          ))}
        </>
      );
    }
    case 'checklist':
      return <ChecklistBlock steps={block.stepIds.map((id) => steps.get(id)).filter((s): s is RunbookStep => !!s)} />;
  }
}
