import type { Handlers } from '../../shared/contract';
import type { HostKeyPolicy } from './host-key-policy';
import type { HostKeyPrompts } from './host-key-prompts';
import type { SessionManager } from './session-manager';
import type { TunnelService } from './tunnels';

type SshHandlers = Pick<
  Handlers,
  Extract<keyof Handlers, `sessions.${string}` | `knownHosts.${string}` | `tunnels.${string}`>
>;

interface SshHandlerDeps {
  sessions: SessionManager;
  prompts: HostKeyPrompts;
  hostKeys: HostKeyPolicy;
  tunnels: TunnelService;
}

/** sessions.*, knownHosts.* and tunnels.*: the SSH sessions, the keys trusted for them, their local ports. */
export function sshHandlers({ sessions, prompts, hostKeys, tunnels }: SshHandlerDeps): SshHandlers {
  return {
    'sessions.connect': async ({ profileId }) => {
      await sessions.connect(profileId);
      return sessions.list().find((s) => s.profileId === profileId)!;
    },
    'sessions.answerHostKey': async ({ promptId, trust }) => (prompts.answer(promptId, trust), { answered: true }),
    'sessions.disconnect': async ({ profileId }) => (await sessions.disconnect(profileId), { closed: true }),
    'sessions.list': async () => sessions.list(),
    'sessions.checkAll': async () => sessions.checkAll(),
    'knownHosts.list': async () => hostKeys.listTrusted(),
    'knownHosts.remove': async ({ host, port, keyType }) => ({ removed: hostKeys.forget(host, port, keyType) }),
    'tunnels.open': async (request) => tunnels.open(request),
    'tunnels.list': async ({ profileId }) => tunnels.list(profileId),
    'tunnels.close': async ({ tunnelId }) => (await tunnels.close(tunnelId), { closed: true as const }),
  };
}
