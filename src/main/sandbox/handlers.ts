import type { Handlers } from '../../shared/contract';
import type { RehearsalService } from './rehearsal-service';
import type { SandboxRegistry } from './sandbox-registry';

interface SandboxHandlerDeps {
  sandboxes: Pick<SandboxRegistry, 'list' | 'drop'>;
  rehearsals: Pick<RehearsalService, 'rehearse'>;
  /** Closes the profile's Postgres connections: the demo's database is held open by them. */
  closePostgres(profileId: string): Promise<void>;
}

/** sandbox.*: the embedded engines (rehearsal shapes, the demo) and rehearsing a write in one. */
export function sandboxHandlers({
  sandboxes,
  rehearsals,
  closePostgres,
}: SandboxHandlerDeps): Pick<Handlers, 'sandbox.list' | 'sandbox.drop' | 'sandbox.rehearse'> {
  return {
    'sandbox.list': async ({ profileId }) => sandboxes.list(profileId),
    'sandbox.drop': async ({ profileId, kind }) => {
      if (!kind || kind === 'demo') await closePostgres(profileId);
      return { dropped: await sandboxes.drop(profileId, kind) };
    },
    'sandbox.rehearse': async (input) => rehearsals.rehearse(input),
  };
}
