import { useState } from 'react';
import type { ReportVerification } from '../../../../shared/contract/incident-integrity';
import { useApp } from '../../store';

function Verdict({ ok, good, bad, testId }: { ok: boolean | null; good: string; bad: string; testId: string }) {
  if (ok === null)
    return <dd data-testid={testId}>not checked: paste the sender&apos;s fingerprint to know who signed it</dd>;
  return (
    <dd className={ok ? 'verify-ok' : 'verify-bad'} data-testid={testId}>
      {ok ? good : bad}
    </dd>
  );
}

function Findings({ result }: { result: ReportVerification }) {
  return (
    <div role="status" data-testid="verify-result">
      <p className={result.ok ? 'verify-ok' : 'verify-bad'} data-testid="verify-verdict">
        {result.ok
          ? `Valid: ${result.events} events, signed by the expected key.`
          : 'NOT VALID: do not rely on this report as evidence.'}
      </p>
      <dl>
        <dt>Chain</dt>
        <Verdict ok={result.chainOk} good={`ok (${result.events} events)`} bad="broken" testId="verify-chain" />
        <dt>Signature</dt>
        <Verdict ok={result.signatureOk} good="ok" bad="bad" testId="verify-signature" />
        <dt>Signed by</dt>
        <dd data-testid="verify-fingerprint">
          <code>{result.fingerprint ?? 'no valid key'}</code>
        </dd>
        <dt>Expected key</dt>
        <Verdict ok={result.keyMatches} good="matches" bad="does NOT match" testId="verify-key" />
      </dl>
      {result.problems.length > 0 && (
        <ul data-testid="verify-problems">
          {result.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * "Verify a received report…": a JSON export someone sent, checked here (chain, signature, and
 * the signer against a fingerprint the operator got from the sender by another channel).
 */
export function VerifyReport() {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File>();
  const [expectedKey, setExpectedKey] = useState('');
  const [result, setResult] = useState<ReportVerification | string>();
  const verify = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return setResult('Pick the JSON export to check.');
    setResult(await useApp.getState().receivedReportVerified(await file.text(), expectedKey));
  };
  if (!open)
    return (
      <button onClick={() => setOpen(true)} data-testid="verify-report-open">
        Verify a received report…
      </button>
    );
  return (
    <form className="verify-report" onSubmit={verify} aria-label="Verify a received report" data-testid="verify-report">
      <label className="field">
        <span>JSON export</span>
        <input
          type="file"
          accept=".json,application/json"
          onChange={(e) => (setFile(e.target.files?.[0]), setResult(undefined))}
          data-testid="verify-file"
        />
      </label>
      <label className="field">
        <span>Sender&apos;s key fingerprint (optional)</span>
        <input
          value={expectedKey}
          onChange={(e) => (setExpectedKey(e.target.value), setResult(undefined))}
          placeholder="SHA256:…"
          spellCheck="false"
          data-testid="verify-expected-key"
        />
      </label>
      <div className="incident-actions">
        <button type="submit" data-testid="verify-run">
          Verify
        </button>
        <button type="button" onClick={() => (setOpen(false), setResult(undefined))}>
          Close
        </button>
      </div>
      {typeof result === 'string' && (
        <p className="verify-bad" role="alert" data-testid="verify-error">
          {result}
        </p>
      )}
      {result && typeof result !== 'string' && <Findings result={result} />}
    </form>
  );
}
