import type { TeamIncident } from '../../shared/contract/team';
import type { IncidentView, SharedChainVerification } from '../../shared/incident';
import { OpsError } from '../../main/errors';
import type { CliContext } from '../command';

/** The shared chain's state in one sentence (incident show, incident verify). */
export function sharedSentence(shared: SharedChainVerification): string {
  if (!shared.checked) return `shared timeline: not checked (${shared.reason ?? 'team database unreachable'})`;
  if (shared.ok)
    return `shared timeline: ok, ${shared.events} events in the team's order, head sha256 ${shared.headHash ?? 'none'}`;
  return `shared timeline: BROKEN at shared event ${shared.brokenAt?.sharedSeq}: ${shared.brokenAt?.reason}`;
}

/**
 * The team's incidents not in the local store yet, for `incident list` (a few seconds at most;
 * an unreachable team database is said on stderr, never an error of the listing).
 */
export async function teamIncidentsBeside(
  context: CliContext,
  local: IncidentView[],
): Promise<{ value: (TeamIncident & { team: { joined: false } })[]; text: string[] }> {
  let team: TeamIncident[];
  try {
    team = await context.core().invoke('team.incidents', {});
  } catch (error) {
    if (error instanceof OpsError && error.code === 'invalid_input') return { value: [], text: [] };
    context.log(
      `warning: the team database is not reachable (${(error as Error).message}): showing local incidents only.`,
    );
    return { value: [], text: [] };
  }
  const known = new Set(local.map((i) => i.id));
  const others = team.filter((t) => !known.has(t.id));
  return {
    value: others.map((t) => ({ ...t, team: { joined: false as const } })),
    text: others.map(
      (t) =>
        `${t.id}  ${t.severity ?? '--'}  ${t.status.padEnd(13)}   ${t.title}  (team, not joined: ${t.sharedEvents} shared events; opsconsole incident join ${t.id})`,
    ),
  };
}
