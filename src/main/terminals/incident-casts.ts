import { readFile } from 'node:fs/promises';
import type { CastInfo } from '../../shared/terminal';
import type { Incidents } from '../incidents/index';

/**
 * Keeps a finished recording with the active incident (or the implicit session): the cast
 * becomes an attachment and a `terminal.recording` event points at it. The copy under casts/
 * stays for terminals.recordings. The file is read off the main thread (a 64 MB recording took
 * about half a second to read in one blocking call, while every other terminal and query waited).
 */
export async function recordCastInIncident(
  incidents: Pick<Incidents, 'service' | 'recorder'>,
  info: CastInfo,
  castPath: string,
): Promise<{ incidentId: string; attachmentId: string } | undefined> {
  try {
    const attached = incidents.service.attach(undefined, {
      name: `terminal-${info.startedAt.replace(/[:.]/g, '-')}.cast`,
      mediaType: 'application/x-asciicast',
      content: await readFile(castPath, 'utf8'),
      description: `Terminal recording: ${info.title}${info.truncated ? ' (truncated)' : ''}`,
    });
    incidents.recorder.record(
      'terminal.recording',
      {
        profileId: info.profileId,
        profileName: info.kind === 'remote' ? info.title : undefined,
        terminal: info.title,
        attachmentId: String(attached.payload.attachmentId),
        durationMs: info.durationMs,
      },
      { incidentId: attached.incidentId },
    );
    return { incidentId: attached.incidentId, attachmentId: String(attached.payload.attachmentId) };
  } catch {
    // The cast stays under casts/ and is listed by terminals.recordings: losing the link must not break closing a terminal.
    return undefined;
  }
}
