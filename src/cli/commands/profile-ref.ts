import type { Core } from '../../main/core';
import { OpsError } from '../../main/errors';
import type { ProfileView } from '../../shared/profile';

const notFound = (error: unknown) => error instanceof OpsError && error.code === 'not_found';

/**
 * The profile a command line names: by name (case-insensitive), else by id. When neither matches,
 * the by-name refusal is the one said ("No profile named …: list them with …"); any other error
 * (a store that cannot be read) is said as it is, never hidden behind a second lookup.
 */
export async function profileByRef(core: Core, ref: string): Promise<ProfileView> {
  try {
    return await core.invoke('profiles.get', { name: ref });
  } catch (byName) {
    if (!notFound(byName)) throw byName;
    try {
      return await core.invoke('profiles.get', { id: ref });
    } catch (byId) {
      throw notFound(byId) ? byName : byId;
    }
  }
}
