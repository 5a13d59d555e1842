import { z } from 'zod';
import { operation } from './define';
import type { IncidentEvent } from '../incident';

/** What a received JSON export's check found: each part apart, so a reader sees which one failed. */
export interface ReportVerification {
  ok: boolean;
  incidentId: string | null;
  events: number;
  headHash: string | null;
  fingerprint: string | null;
  /** Every event's hash and the chain between them recompute. */
  chainOk: boolean;
  /** The Ed25519 signature matches the content, by the key the report carries. */
  signatureOk: boolean;
  /** Whether the signer is the expected key; null when none was given (then anyone could have signed it). */
  keyMatches: boolean | null;
  /** Each mismatch, in words; empty when ok. */
  problems: string[];
}

/** Records the store could not take yet, waiting in the fallback journal. */
export interface PendingRecords {
  /** This incident's waiting events, oldest first, each marked deferred (no seq or hash yet). */
  events: IncidentEvent[];
  /** Waiting records of every incident. */
  total: number;
  /** Why the store refused them, in words with what to do (one entry per distinct reason). */
  reasons: string[];
  /** Sequence numbers of this incident's events that were appended from the journal (recorded late). */
  fromJournal: number[];
}

const reportText = z
  .string()
  .min(1, 'is empty: pick the JSON export of an incident')
  .max(256 * 1024 * 1024, 'is larger than 256 MB: no incident report is that large');

export const incidentIntegrityOperations = {
  /**
   * Checks a received JSON export (its text): every event hash and the chain, the signature over
   * the whole document, and, when the recipient pastes the sender's fingerprint or key, that the
   * signer is that key (a re-signed forgery has a valid signature by another key).
   */
  'incidents.verifyReport': operation<ReportVerification>()(
    z
      .object({
        text: reportText,
        expectedKey: z.string().trim().min(1).max(200, 'is longer than a key fingerprint or public key').optional(),
      })
      .strict(),
    'Verify a received report',
  ),
  /** The incident's records waiting in the fallback journal, and why: shown until the store takes them. */
  'incidents.pending': operation<PendingRecords>()(
    z.object({ id: z.string().min(1).max(64) }).strict(),
    'Records waiting in the fallback journal',
  ),
};
