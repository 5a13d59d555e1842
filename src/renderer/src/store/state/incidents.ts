import type { PendingRecords, ReportVerification } from '../../../../shared/contract/incident-integrity';
import type {
  ChainVerification,
  ExportFormat,
  IncidentEvent,
  IncidentStatus,
  IncidentView,
  ReportFields,
  Severity,
} from '../../../../shared/incident';

export interface IncidentsSlice {
  activeIncident: IncidentView | null;
  /** Every incident and session, newest first (for the palette). */
  incidents: IncidentView[];
  incidentActivated(id: string): Promise<void>;
  /** Timeline of the incident shown in the drawer, in order. */
  timeline: IncidentEvent[];
  /** Its chain, verified when the timeline was loaded: a broken or shortened one is shown in the header. */
  timelineIntegrity: ChainVerification | null;
  /** Records of the shown incident waiting in the fallback journal, and its events appended from it. */
  timelinePending: PendingRecords | null;
  /** Checks a received JSON export; resolves to the findings, or the error's message. */
  receivedReportVerified(text: string, expectedKey?: string): Promise<ReportVerification | string>;
  incidentsRequested(): Promise<void>;
  incidentStarted(input: { title: string; severity: Severity; commander?: string }): Promise<string | undefined>;
  incidentPromoted(input: { title: string; severity: Severity }): Promise<string | undefined>;
  incidentEventReceived(event: IncidentEvent): void;
  /** A person dismissed an assistant's proposal (recorded as its own event). */
  proposalDismissed(incidentId: string, proposalId: string): Promise<void>;
  /** A person takes a proposal to break-glass: recorded first, so the run that follows is linked to it. False when refused. */
  proposalRunStarted(incidentId: string, proposalId: string): Promise<boolean>;
  /** `happenedAt`: when it happened, if earlier than now (the recorded time stays too). */
  noteAdded(text: string, happenedAt?: string): Promise<boolean>;
  incidentStatusChosen(status: IncidentStatus): Promise<void>;
  reportFieldsSaved(fields: Partial<ReportFields>): Promise<string | undefined>;
  /** Exports the active incident; resolves to where it went (or the text, for a download). */
  incidentExported(
    format: ExportFormat,
    options?: { starred?: boolean },
  ): Promise<{ path?: string; content?: string } | undefined>;
}
