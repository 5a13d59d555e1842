import { verify } from 'node:crypto';
import type { IncidentReport } from '../../shared/incident';
import { OpsError } from '../errors';
import { genesisHash, hashEvent } from './canonical';
import { fingerprintOf, publicKeyFromRaw, signedBytes, type ReportIntegrity } from './report-signature';

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

type SignedReport = IncidentReport & { integrity: ReportIntegrity };

function parse(text: string): SignedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OpsError('invalid_input', 'The file is not JSON: give the JSON export of an incident (opsconsole incident export ID --format json).');
  }
  const integrity = (data as { integrity?: Partial<ReportIntegrity> } | null)?.integrity;
  if (!integrity || typeof integrity !== 'object' || !Array.isArray(integrity.events) || typeof integrity.signature !== 'string' || typeof integrity.publicKey !== 'string') {
    throw new OpsError('invalid_input', 'The file has no integrity section (events, publicKey, signature): it is not a signed Ops Console JSON export. Ask the sender for the JSON export.');
  }
  return data as SignedReport;
}

/** Recomputes every event hash and the chain; returns the problems found. */
function chainProblems(report: SignedReport): string[] {
  const problems: string[] = [];
  let prev = genesisHash;
  report.integrity.events.forEach((event, i) => {
    if (event.seq !== i + 1) problems.push(`event ${i + 1} is missing or out of order (found ${event.seq})`);
    if (event.prevHash !== prev) problems.push(`event ${event.seq}: its previous-hash does not match event ${event.seq - 1}`);
    const hash = hashEvent({ incidentId: report.incident.id, seq: event.seq, at: event.at, operator: event.operator, kind: event.kind, payload: event.payload, prevHash: event.prevHash });
    if (hash !== event.hash) problems.push(`event ${event.seq}: its content does not match its hash (edited)`);
    prev = event.hash;
  });
  const head = report.integrity.events.length ? prev : null;
  if (report.integrity.headHash !== head || report.chain.headHash !== head) problems.push('the chain head does not match the last event');
  if (report.chain.events !== report.integrity.events.length) problems.push(`the report says ${report.chain.events} events but carries ${report.integrity.events.length}`);
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
  const raw = Buffer.from(report.integrity.publicKey, 'base64');
  const fingerprint = raw.length === 32 ? fingerprintOf(raw) : null;
  if (!fingerprint) problems.push('the public key is not a 32-byte Ed25519 key');
  else {
    if (report.integrity.fingerprint !== fingerprint) problems.push(`the fingerprint ${report.integrity.fingerprint} is not the public key's (${fingerprint})`);
    const valid = verify(null, signedBytes(report), publicKeyFromRaw(report.integrity.publicKey), Buffer.from(report.integrity.signature, 'base64'));
    if (!valid) problems.push('the signature does not match the content (the report was changed after it was signed)');
  }
  if (expectedKey !== undefined) {
    const matches = expectedKey.startsWith('SHA256:') ? expectedKey.replace(/=+$/, '') === fingerprint : expectedKey === report.integrity.publicKey;
    if (!matches) problems.push(`it was signed by key ${fingerprint ?? 'unknown'}, not the expected ${expectedKey}`);
  }
  return { ok: problems.length === 0, incidentId: report.incident.id ?? null, events: report.integrity.events.length, headHash: report.integrity.headHash, fingerprint, problems };
}
