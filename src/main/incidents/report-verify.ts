import { verify } from 'node:crypto';
import type { IncidentReport } from '../../shared/incident';
import { OpsError } from '../errors';
import { genesisHash, hashEvent } from './canonical';
import { fingerprintOf, publicKeyFromRaw, signedBytes, type ReportSignature } from './report-signature';

/** What `incident verify --file` found in a received JSON export. */
export interface ReportVerification {
  ok: boolean;
  incidentId: string | null;
  events: number;
  headHash: string | null;
  fingerprint: string | null;
  /** Each mismatch, in words; empty when ok. */
  problems: string[];
}

type SignedReport = IncidentReport & { signed: ReportSignature };

function parse(text: string): SignedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OpsError('invalid_input', 'The file is not JSON: give the JSON export of an incident (opsconsole incident export ID --format json).');
  }
  const signed = (data as { signed?: Partial<ReportSignature> } | null)?.signed;
  if (!signed || typeof signed !== 'object' || !Array.isArray(signed.events) || typeof signed.signature !== 'string' || typeof signed.publicKey !== 'string') {
    throw new OpsError('invalid_input', 'The file has no signed section (events, publicKey, signature): it is not a signed Ops Console JSON export. Ask the sender for the JSON export.');
  }
  return data as SignedReport;
}

/** Recomputes every event hash and the chain; returns the problems found. */
function chainProblems(report: SignedReport): string[] {
  const problems: string[] = [];
  let prev = genesisHash;
  report.signed.events.forEach((event, i) => {
    if (event.seq !== i + 1) problems.push(`event ${i + 1} is missing or out of order (found ${event.seq})`);
    if (event.prevHash !== prev) problems.push(`event ${event.seq}: its previous-hash does not match event ${event.seq - 1}`);
    const hash = hashEvent({ incidentId: report.incident.id, seq: event.seq, at: event.at, operator: event.operator, kind: event.kind, payload: event.payload, prevHash: event.prevHash });
    if (hash !== event.hash) problems.push(`event ${event.seq}: its content does not match its hash (edited)`);
    prev = event.hash;
  });
  const head = report.signed.events.length ? prev : null;
  if (report.signed.headHash !== head || report.chain.headHash !== head) problems.push('the chain head does not match the last event');
  if (report.chain.events !== report.signed.events.length) problems.push(`the report says ${report.chain.events} events but carries ${report.signed.events.length}`);
  return problems;
}

/**
 * Checks a received JSON export: every event hash and the chain, the Ed25519 signature over the
 * whole document, and, when the recipient knows it, that the key is the sender's (a re-signed
 * forgery carries a valid signature by another key). `expectedKey` is a fingerprint or a key.
 */
export function verifyReport(text: string, expectedKey?: string): ReportVerification {
  const report = parse(text);
  const problems = chainProblems(report);
  const raw = Buffer.from(report.signed.publicKey, 'base64');
  const fingerprint = raw.length === 32 ? fingerprintOf(raw) : null;
  if (!fingerprint) problems.push('the public key is not a 32-byte Ed25519 key');
  else {
    if (report.signed.fingerprint !== fingerprint) problems.push(`the fingerprint ${report.signed.fingerprint} is not the public key's (${fingerprint})`);
    const valid = verify(null, signedBytes(report), publicKeyFromRaw(report.signed.publicKey), Buffer.from(report.signed.signature, 'base64'));
    if (!valid) problems.push('the signature does not match the content (the report was changed after it was signed)');
  }
  if (expectedKey !== undefined) {
    const matches = expectedKey.startsWith('SHA256:') ? expectedKey.replace(/=+$/, '') === fingerprint : expectedKey === report.signed.publicKey;
    if (!matches) problems.push(`it was signed by key ${fingerprint ?? 'unknown'}, not the expected ${expectedKey}`);
  }
  return { ok: problems.length === 0, incidentId: report.incident.id ?? null, events: report.signed.events.length, headHash: report.signed.headHash, fingerprint, problems };
}
