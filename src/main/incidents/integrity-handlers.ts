import type { Handlers } from '../../shared/contract';
import type { PendingRecords } from '../../shared/contract/incident-integrity';
import { OpsError } from '../errors';
import { storeFaultAdvice, type StoreFault } from '../store/store-faults';
import type { Incidents } from './index';
import { verifyReport } from './report-verify';

type IntegrityHandlers = Pick<Handlers, 'incidents.verifyReport' | 'incidents.pending'>;

/** Checking a received report, and what of the timeline still waits in the fallback journal. */
export function incidentIntegrityHandlers(incidents: Pick<Incidents, 'repository' | 'journal'>): IntegrityHandlers {
  return {
    'incidents.verifyReport': async ({ text, expectedKey }) => verifyReport(text, expectedKey),
    'incidents.pending': async ({ id }) => pendingRecords(incidents, id),
  };
}

/**
 * The journal's entries not yet in the timeline (marked deferred: no seq or hash until appended),
 * why the store refused them, and which of the incident's events were appended from it later.
 */
export function pendingRecords(
  { repository, journal }: Pick<Incidents, 'repository' | 'journal'>,
  incidentId: string,
): PendingRecords {
  if (repository.status(incidentId) === undefined)
    throw new OpsError('not_found', `No incident with id ${incidentId}: list them with "opsconsole incident list".`);
  const waiting = (journal?.read() ?? []).filter((entry) => !repository.journalApplied(entry.id));
  const events = waiting
    .filter((entry) => entry.incidentId === incidentId)
    .map((entry) => ({
      incidentId,
      seq: 0,
      at: entry.at,
      operator: entry.operator,
      kind: entry.kind,
      payload: entry.payload,
      prevHash: '',
      hash: '',
      deferred: true as const,
    }));
  const reasons = [...new Set(waiting.map((entry) => storeFaultAdvice[entry.reason as StoreFault] ?? entry.reason))];
  return { events, total: waiting.length, reasons, fromJournal: repository.journaledSeqs(incidentId) };
}
