import { verify } from 'node:crypto';
import type { ReportVerification } from '../../shared/contract/incident-integrity';
import type { IncidentReport } from '../../shared/incident';
import { OpsError } from '../errors';
import { genesisHash, hashEvent } from './canonical';
import { fingerprintOf, publicKeyFromRaw, signedBytes, type ReportSignature } from './report-signature';

export type { ReportVerification };

type SignedReport = IncidentReport & { signed: ReportSignature };

function parse(text: string): SignedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OpsError(
      'invalid_input',
      'The file is not JSON: give the JSON export of an incident (opsconsole incident export ID --format json).',
    );
  }
  const shape = data as { incident?: unknown; chain?: unknown } | null;
  if (
    !shape ||
    typeof shape.incident !== 'object' ||
    !shape.incident ||
    typeof shape.chain !== 'object' ||
    !shape.chain
  ) {
    throw new OpsError(
      'invalid_input',
      'The file has no incident or chain section: it is not an Ops Console JSON export. Ask the sender for the JSON export (opsconsole incident export ID --format json).',
    );
  }
  const signed = (data as { signed?: Partial<ReportSignature> } | null)?.signed;
  if (
    !signed ||
    typeof signed !== 'object' ||
    !Array.isArray(signed.events) ||
    typeof signed.signature !== 'string' ||
    typeof signed.publicKey !== 'string'
  ) {
    throw new OpsError(
      'invalid_input',
      'The file has no signed section (events, publicKey, signature): it is not a signed Ops Console JSON export. Ask the sender for the JSON export.',
    );
  }
  return data as SignedReport;
}

/** Recomputes every event hash and the chain; returns the problems found. */
function chainProblems(report: SignedReport): string[] {
  const problems: string[] = [];
  let prev = genesisHash;
  report.signed.events.forEach((event, i) => {
    if (event.seq !== i + 1) problems.push(`event ${i + 1} is missing or out of order (found ${event.seq})`);
    if (event.prevHash !== prev)
      problems.push(`event ${event.seq}: its previous-hash does not match event ${event.seq - 1}`);
    const hash = hashEvent({
      incidentId: report.incident.id,
      seq: event.seq,
      at: event.at,
      operator: event.operator,
      kind: event.kind,
      payload: event.payload,
      prevHash: event.prevHash,
    });
    if (hash !== event.hash) problems.push(`event ${event.seq}: its content does not match its hash (edited)`);
    prev = event.hash;
  });
  const head = report.signed.events.length ? prev : null;
  if (report.signed.headHash !== head || report.chain.headHash !== head)
    problems.push('the chain head does not match the last event');
  if (report.chain.events !== report.signed.events.length)
    problems.push(`the report says ${report.chain.events} events but carries ${report.signed.events.length}`);
  return problems;
}

/**
 * Checks a received JSON export: every event hash and the chain, the Ed25519 signature over the
 * whole document, and, when the recipient knows it, that the key is the sender's (a re-signed
 * forgery carries a valid signature by another key). `expectedKey` is a fingerprint or a key.
 */
export function verifyReport(text: string, expectedKey?: string): ReportVerification {
  const report = parse(text);
  const chain = chainProblems(report);
  const signature = signatureProblems(report);
  const fingerprint = signature.fingerprint;
  let keyMatches: boolean | null = null;
  const problems = [...chain, ...signature.problems];
  if (expectedKey !== undefined) {
    keyMatches = expectedKey.startsWith('SHA256:')
      ? expectedKey.replace(/=+$/, '') === fingerprint
      : expectedKey === report.signed.publicKey;
    if (!keyMatches) problems.push(`it was signed by key ${fingerprint ?? 'unknown'}, not the expected ${expectedKey}`);
  }
  return {
    ok: problems.length === 0,
    incidentId: report.incident.id ?? null,
    events: report.signed.events.length,
    headHash: report.signed.headHash,
    fingerprint,
    chainOk: chain.length === 0,
    signatureOk: signature.problems.length === 0,
    keyMatches,
    problems,
  };
}

/** The key's fingerprint and whether the signature over the whole document holds by that key. */
function signatureProblems(report: SignedReport): { fingerprint: string | null; problems: string[] } {
  const raw = Buffer.from(report.signed.publicKey, 'base64');
  const fingerprint = raw.length === 32 ? fingerprintOf(raw) : null;
  if (!fingerprint) return { fingerprint, problems: ['the public key is not a 32-byte Ed25519 key'] };
  const problems: string[] = [];
  if (report.signed.fingerprint !== fingerprint)
    problems.push(`the fingerprint ${report.signed.fingerprint} is not the public key's (${fingerprint})`);
  const valid = verify(
    null,
    signedBytes(report),
    publicKeyFromRaw(report.signed.publicKey),
    Buffer.from(report.signed.signature, 'base64'),
  );
  if (!valid) problems.push('the signature does not match the content (the report was changed after it was signed)');
  return { fingerprint, problems };
}
