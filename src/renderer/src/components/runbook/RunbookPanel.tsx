import { useApp } from '../../store';
import { useEffect, useId } from 'react';
import type { RunbookSection, RunbookStep } from '../../../../shared/runbook';
import { ConfirmDialog } from '../sql/ConfirmDialog';
import { RiskBadge } from '../sql/RiskBadge';
import { RunAll } from './RunAll';
import { Block } from './RunbookBlocks';
import { RunbookLibrary } from './RunbookLibrary';
import '../sql/sql.css';
import './runbook.css';

function ProfilePicker() {
  const profiles = useApp((s) => s.profiles);
  const selected = useApp((s) => s.selectedProfileId);
  const state = useApp((s) => (s.selectedProfileId ? s.sessions[s.selectedProfileId]?.state : undefined));
  const id = useId();
  return (
    <div className="runbook-profile">
      <label htmlFor={id}>Runs against</label>
      <select
        id={id}
        value={selected ?? ''}
        onChange={(e) => useApp.setState({ selectedProfileId: e.target.value || undefined })}
        data-testid="runbook-profile"
      >
        <option value="">No profile (read only the runbook)</option>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.environment})
          </option>
        ))}
      </select>
      {state && <span className="result-meta">{state}</span>}
    </div>
  );
}

/** The open runbook as a guided panel: sections with their prose, steps, checklists, callouts and tables. */
function RunbookView() {
  const plan = useApp((s) => s.runbookPlan!);
  const pending = useApp((s) => s.runbookSqlPending);
  const { runbookSqlNameTyped, runbookSqlDecided, runbookClosed } = useApp.getState();
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  const warnings = plan.diagnostics.filter((d) => d.severity === 'warning');
  return (
    <article className="runbook-view" aria-labelledby="runbook-title" data-testid="runbook-view">
      <header className="runbook-header">
        <div>
          <h2 id="runbook-title" data-testid="runbook-title">
            {plan.title}
          </h2>
          <p className="result-meta">
            {plan.path ?? 'pasted runbook'}
            {plan.metadata.service && ` · ${plan.metadata.service}`}
            {plan.metadata.owners.length > 0 && ` · owners: ${plan.metadata.owners.join(', ')}`}
            {plan.metadata.environments.length > 0 && ` · ${plan.metadata.environments.join(', ')}`}
          </p>
          {plan.metadata.tags.length > 0 && (
            <p className="runbook-tags">
              {plan.metadata.tags.map((t) => (
                <span key={t} className="badge">
                  {t}
                </span>
              ))}
            </p>
          )}
        </div>
        <div className="runbook-header-actions">
          <ProfilePicker />
          <button type="button" onClick={runbookClosed} data-testid="runbook-close">
            Close runbook
          </button>
        </div>
      </header>
      {plan.metadata.description && <p>{plan.metadata.description}</p>}
      {(errors.length > 0 || warnings.length > 0) && (
        <details className="runbook-diagnostics" open={errors.length > 0}>
          <summary>
            {errors.length} errors, {warnings.length} warnings from the import
          </summary>
          <ul>
            {plan.diagnostics.map((d, i) => (
              <li key={i} className={d.severity === 'error' ? 'field-error' : undefined}>
                line {d.line}: {d.severity}: {d.code}: {d.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      {plan.sections.map((section) => {
        const Heading = `h${Math.min(6, Math.max(3, section.level + 1))}` as 'h3';
        return (
          <section
            key={`${section.slug}-${section.line}`}
            className="runbook-section"
            aria-label={section.heading || plan.title}
            data-testid="runbook-section"
            data-slug={section.slug}
          >
            {section.heading && section.level > 1 && (
              <header className="runbook-section-header">
                <Heading>{section.heading}</Heading>
                <RiskBadge risk={sectionRisk(section, steps)} />
              </header>
            )}
            <RunAll section={section} />
            {section.blocks.map((block, i) => (
              <Block key={`${block.type}-${block.line}-${i}`} block={block} steps={steps} />
            ))}
          </section>
        );
      })}
      {pending && (
        <ConfirmDialog
          pending={pending.result}
          typedName={pending.typedName}
          busy={pending.busy}
          onType={runbookSqlNameTyped}
          onDecide={(d) => void runbookSqlDecided(d)}
        />
      )}
    </article>
  );
}

const order = ['read', 'admin', 'write', 'ddl', 'unknown', 'dangerous'] as const;
function sectionRisk(section: RunbookSection, steps: Map<string, RunbookStep>) {
  let worst = 0;
  for (const block of section.blocks)
    if (block.type === 'code' || block.type === 'checklist')
      for (const id of block.stepIds) worst = Math.max(worst, order.indexOf(steps.get(id)?.risk ?? 'read'));
  return order[worst]!;
}

/** The runbooks centre view: the library beside the open runbook. */
export function RunbookPanel() {
  const plan = useApp((s) => s.runbookPlan);
  const opening = useApp((s) => s.runbookOpening);
  const error = useApp((s) => s.runbookError);
  const loaded = useApp((s) => s.runbookLibraryLoaded);
  useEffect(() => {
    if (!loaded) void useApp.getState().runbooksRequested();
  }, [loaded]);
  return (
    <div className="runbook-panel" data-testid="runbook-panel">
      <RunbookLibrary />
      <div className="runbook-main">
        {error && (
          <p className="form-error" role="alert" data-testid="runbook-error">
            {error.message}
          </p>
        )}
        {opening && <p className="result-meta">Opening…</p>}
        {plan ? (
          <RunbookView />
        ) : (
          !opening && (
            <p className="result-meta runbook-empty">Pick a runbook from the library to open it as a guided panel.</p>
          )
        )}
      </div>
    </div>
  );
}
