import type { PlanNode } from '../../../../shared/contract';
import { useApp } from '../../store';

const cost = (n: number) => n.toFixed(2);
const ms = (n: number) => (n < 10 ? n.toFixed(3) : n.toFixed(1));

function PlanNodeView({ node, analyzed }: { node: PlanNode; analyzed: boolean }) {
  return (
    <li
      className={`plan-node${node.costly ? ' plan-costly' : ''}`}
      data-testid="plan-node"
      data-costly={node.costly || undefined}
    >
      <div className="plan-node-head">
        <strong data-testid="plan-node-type">{node.nodeType}</strong> {node.target && <span>{node.target}</span>}
        {node.costly && (
          <span className="plan-badge" title="Among the costliest parts of the plan">
            costliest
          </span>
        )}
        <span className="sql-hint">
          cost {cost(node.startupCost)}..{cost(node.totalCost)} (own {cost(node.selfCost)}) · est.{' '}
          {node.planRows.toLocaleString()} rows
          {analyzed &&
            node.actualLoops !== undefined &&
            ` · actual ${node.actualRows?.toLocaleString()} rows × ${node.actualLoops} loop(s) · ${ms(node.actualMs ?? 0)} ms (own ${ms(node.selfMs ?? 0)} ms)`}
        </span>
      </div>
      {node.details.length > 0 && (
        <ul className="plan-details">
          {node.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {node.children.length > 0 && (
        <ol className="plan-children">
          {node.children.map((child, i) => (
            <PlanNodeView key={i} node={child} analyzed={analyzed} />
          ))}
        </ol>
      )}
    </li>
  );
}

/**
 * EXPLAIN of what Run would run: the plan as a tree (cost, rows and, with ANALYZE, time per node;
 * the costliest marked) or as plain text; ANALYZE is offered for reads and says it executes the
 * query; the plan can be kept with the incident.
 */
export function ExplainView({ profileId }: { profileId: string }) {
  const explain = useApp((s) => s.explainPanes[profileId]);
  const { explainRequested, explainTextToggled, explainAttachRequested, explainClosed } = useApp.getState();
  const result = explain?.result;
  return (
    <div className="explain" data-testid="explain">
      <div className="history-filter">
        <button
          type="button"
          onClick={() => void explainRequested(profileId, false)}
          disabled={explain?.busy}
          data-testid="explain-run"
          title="Plans the statement without running it"
        >
          Explain
        </button>
        <button
          type="button"
          onClick={() => void explainRequested(profileId, true)}
          disabled={explain?.busy}
          data-testid="explain-analyze"
          title="Runs the statement (reads only, inside a read-only transaction) to time each step"
        >
          Explain analyze (runs the query)
        </button>
        {result && (
          <>
            <button
              type="button"
              onClick={() => explainTextToggled(profileId)}
              aria-pressed={explain.asText}
              data-testid="explain-text-toggle"
            >
              Plain text
            </button>
            <button
              type="button"
              onClick={() => void explainAttachRequested(profileId)}
              disabled={explain.attached}
              data-testid="explain-attach"
            >
              {explain.attached ? 'Attached to the timeline' : 'Attach to the timeline'}
            </button>
            <button type="button" onClick={() => explainClosed(profileId)} data-testid="explain-close">
              Close
            </button>
          </>
        )}
      </div>
      {explain?.error && (
        <p className="form-error" role="alert" data-testid="explain-error">
          {explain.error}
        </p>
      )}
      {result && (
        <section aria-label="Query plan" data-testid="explain-result">
          {result.note && (
            <p className="outcome-recording" data-testid="explain-note">
              {result.note}
            </p>
          )}
          <p className="sql-hint">
            {result.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}
            {result.planningMs !== undefined && ` · planning ${ms(result.planningMs)} ms`}
            {result.executionMs !== undefined && ` · execution ${ms(result.executionMs)} ms`}
          </p>
          {explain.asText ? (
            <pre className="plan" data-testid="explain-text">
              {result.text}
            </pre>
          ) : (
            <ol className="plan-tree">
              <PlanNodeView node={result.root} analyzed={result.analyzed} />
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
