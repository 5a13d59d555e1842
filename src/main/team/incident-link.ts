import { OpsError } from '../errors';

/** The scheme the app registers: opsconsole://incident/ID opens (or joins) that incident. */
export const linkScheme = 'opsconsole';

/** The shareable link of an incident. */
export function incidentLink(id: string): string {
  return `${linkScheme}://incident/${encodeURIComponent(id)}`;
}

/**
 * The incident id of an opsconsole://incident/ID link; anything else (another host, extra path
 * segments, a query, an id that is not an incident id) is refused: the link comes from a chat
 * message, not from the operator's keyboard.
 */
export function parseIncidentLink(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OpsError(
      'invalid_input',
      `"${text.slice(0, 200)}" is not an Ops Console link: expected opsconsole://incident/ID.`,
    );
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const valid =
    url.protocol === `${linkScheme}:` &&
    url.hostname === 'incident' &&
    segments.length === 1 &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.port;
  const id = valid ? decodeURIComponent(segments[0]!) : '';
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(id))
    throw new OpsError(
      'invalid_input',
      `"${text.slice(0, 200)}" is not an incident link: expected opsconsole://incident/ID.`,
    );
  return id;
}

/** The link among a process's arguments (Windows and Linux pass it on the command line; a second instance forwards its argv). */
export function incidentLinkIn(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${linkScheme}://`));
}

export interface LinkRouter {
  /** Whether the incident is in the local store (the app asks its core through the contract). */
  isLocal(id: string): boolean | Promise<boolean>;
  activate(id: string): Promise<unknown>;
  join(id: string): Promise<unknown>;
}

/** Opens the incident of a link: made active when it is local, joined from the team database otherwise. */
export async function openIncidentLink(
  link: string,
  router: LinkRouter,
): Promise<{ id: string; action: 'activated' | 'joined' }> {
  const id = parseIncidentLink(link);
  if (await router.isLocal(id)) {
    await router.activate(id);
    return { id, action: 'activated' };
  }
  await router.join(id);
  return { id, action: 'joined' };
}
