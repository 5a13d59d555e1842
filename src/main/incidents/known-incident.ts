import { OpsError } from '../errors';
import type { IncidentRepository } from './incident-repository';

/**
 * A check for operations that record under an incident the caller names: an id that does not
 * exist is refused (not_found) before anything runs, instead of recording into nowhere.
 */
export function incidentCheck(repository: Pick<IncidentRepository, 'status'>): (id?: string) => string | undefined {
  return (id) => {
    if (id && repository.status(id) === undefined)
      throw new OpsError('not_found', `No incident with id ${id}: list them with "opsconsole incident list".`);
    return id;
  };
}
