import type { TeamIncident, TeamPresence, TeamStatus } from '../../../../shared/contract/team';

export interface TeamSlice {
  teamStatus: TeamStatus | null;
  /** The team database's incidents (to join), when reachable. */
  teamIncidents: TeamIncident[];
  /** Who has the active incident open. */
  teamPresence: TeamPresence[];
  teamRequested(): Promise<void>;
  teamIncidentJoined(id: string): Promise<void>;
  /** Settings → Team: resolves to the error to show, or undefined when connected. */
  teamConnected(input: {
    url?: string;
    password?: string;
    profile?: string;
    confirm?: string;
    displayName?: string;
  }): Promise<string | undefined>;
  teamDisconnected(): Promise<void>;
  /** The live link's state changed (reachable, outbox): refresh the badge and the shared marks. */
  teamStateChanged(): void;
}
