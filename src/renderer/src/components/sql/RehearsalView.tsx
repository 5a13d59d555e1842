import type { RehearsalReport } from '../../../../shared/contract';
import { useApp } from '../../store';

/** "Rehearse first" and its result, shown beside the statement in the break-glass dialog. */
export function RehearsalView({ runId, profileId }: { runId: string; profileId: string }) {
  const rehearsal = useApp((s) => (s.rehearsal?.runId === runId ? s.rehearsal : undefined));
  return (
    <section className="rehearsal" data-testid="rehearsal">
      <button
        type="button"
        onClick={() => void useApp.getState().rehearsalRequested(runId, profileId)}
        disabled={rehearsal?.busy}
        data-testid="rehearse-first"
      >
        {rehearsal?.busy ? 'Rehearsing in the sandbox…' : rehearsal?.report ? 'Rehearse again' : 'Rehearse first'}
      </button>
      {rehearsal?.error && (
        <p className="reason-dangerous" role="alert" data-testid="rehearsal-error">
          {rehearsal.error}
        </p>
      )}
      {rehearsal?.report && <RehearsalReportView report={rehearsal.report} />}
    </section>
  );
}

function RehearsalReportView({ report }: { report: RehearsalReport }) {
  return (
    <div className="rehearsal-report" data-testid="rehearsal-report">
      <p className="result-meta">
        Rehearsed in an embedded sandbox ({report.mode} rows
        {report.shapeTakenAt ? `, shape taken ${new Date(report.shapeTakenAt).toLocaleString()}` : ''}): nothing ran on
        the server.
      </p>
      {(report.notices ?? []).map((n) => (
        <p key={n} className="result-meta">
          {n}
        </p>
      ))}
      {report.unreproduced.length > 0 && (
        <ul className="rehearsal-unreproduced">
          {report.unreproduced.map((u) => (
            <li key={u.object}>
              Not reproduced: {u.object} — {u.reason}
            </li>
          ))}
        </ul>
      )}
      {report.statements.map((s, i) => (
        <div key={i} className="rehearsal-statement" data-testid="rehearsal-statement">
          <code>{s.sql}</code>
          {s.outcome === 'ok' ? (
            <p data-testid="rehearsal-rows">
              {s.estimated ? 'about ' : ''}
              {s.rowsAffected} row(s) affected{s.estimated ? ' (estimate)' : ''} · {s.durationMs} ms in the sandbox (not
              a forecast){s.rewritesTable ? ' · rewrites the table' : ''}
            </p>
          ) : (
            <p className="reason-dangerous" data-testid="rehearsal-statement-error">
              {s.error}
            </p>
          )}
          <ul>
            {s.locks.map((l) => (
              <li key={l.relation} data-testid="rehearsal-lock">
                {l.mode} on {l.relation}: {l.blocks}
              </li>
            ))}
          </ul>
          {s.sample.before.length > 0 && (
            <p className="result-meta" data-testid="rehearsal-sample">
              Sample of affected rows: {s.sample.before.length} before
              {s.sample.after.length ? `, ${s.sample.after.length} after` : ''} (columns {s.sample.columns.join(', ')})
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
