import type { flowOperations, Handlers } from '../../shared/contract';
import type { ExportTargets } from '../files/export-targets';
import { toCsv } from './incident-service';
import type { Incidents } from './index';

// Checking received reports and the journal's waiting records live in integrity-handlers.ts; the
// curation and finding operations (src/shared/contract/flow.ts) in src/main/flow/handlers.ts.
type IncidentHandlers = Pick<
  Handlers,
  Exclude<
    Extract<keyof Handlers, `incidents.${string}`>,
    'incidents.verifyReport' | 'incidents.pending' | keyof typeof flowOperations
  >
>;

/** The incidents.* operations, one line each over the service and exporter. */
export function incidentHandlers({ service, exporter, recorder }: Incidents, targets: ExportTargets): IncidentHandlers {
  return {
    'incidents.start': async (input) => service.start(input),
    'incidents.list': async () => service.list(),
    'incidents.get': async ({ id }) => service.get(id),
    'incidents.events': async ({ id, afterSeq, limit }) => service.events(id, afterSeq, limit),
    'incidents.active': async () => service.active(),
    'incidents.activate': async ({ id }) => service.activate(id),
    'incidents.note': async ({ id, text }) => service.note(id, text),
    'incidents.recordStep': async ({ id, ...step }) => service.recordStep(id, step),
    'incidents.tickChecklist': async ({ id, ...tick }) => service.tickChecklist(id, tick),
    'incidents.status': async ({ id, status }) => service.setStatus(id, status),
    'incidents.update': async ({ id, ...changes }) => service.update(id, changes),
    'incidents.updateReport': async ({ id, fields }) => service.updateReport(id, fields),
    'incidents.promote': async ({ id, ...input }) => service.promote(id, input),
    'incidents.attachRows': async ({ id, name, columns, rows, description }) =>
      service.attach(id, {
        name: name.endsWith('.csv') ? name : `${name}.csv`,
        mediaType: 'text/csv',
        content: toCsv(columns, rows),
        description,
      }),
    'incidents.report': async ({ id, foldReads }) => exporter.report(id, { foldReads }),
    'incidents.export': async ({ id, path, saveToken, overwrite, ...request }) =>
      exporter.export(id, { ...request, ...targets.resolve({ path, saveToken, overwrite }) }),
    'incidents.verify': async ({ id }) => service.verify(id),
    'incidents.settings': async () => ({ operator: recorder.operator, synchronous: recorder.synchronous }),
    'incidents.setSettings': async ({ synchronous }) => {
      if (synchronous) recorder.setSynchronous(synchronous);
      return { operator: recorder.operator, synchronous: recorder.synchronous };
    },
  };
}
