import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { SessionStateEvent } from '../../shared/contract';
import type { EventListener } from '../lifecycle/events';
import type { Db } from '../store/database';
import type { ProfileRepository } from '../store/profile-repository';
import { TrustedHostKeyRepository } from '../store/trusted-host-key-repository';
import { HostKeyPolicy, type HostKeyPrompter } from './host-key-policy';
import { HostKeyPrompts } from './host-key-prompts';
import { SessionManager } from './session-manager';
import { TunnelService } from './tunnels';

interface SshDeps {
  db: Db;
  profiles: ProfileRepository;
  now: () => Date;
  emit: EventListener;
  /** known_hosts files consulted before the app's trust store; ~/.ssh/known_hosts by default. */
  knownHostsFiles?: string[];
  /** Answers every host-key question instead of asking the operator (the CLI's --trust-host-key). */
  hostKeyPrompter?: HostKeyPrompter;
  hostKeyPromptTimeoutMs?: number;
  agentSocket?: string;
  /** Every session state change: recorded, sent to the renderer, followed by the terminals. */
  onState(event: SessionStateEvent): void;
}

interface Ssh {
  hostKeys: HostKeyPolicy;
  prompts: HostKeyPrompts;
  sessions: SessionManager;
  tunnels: TunnelService;
  /** Who answers a host-key question for a profile (the CLI's prompter, or the operator). */
  prompterFor(profileId: string): HostKeyPrompter;
  agentSocket: string | undefined;
  /** Closes the local ports, then the sessions. Host-key questions are the caller's to answer first. */
  dispose(): Promise<void>;
}

/** SSH: the host-key policy and its questions, sessions and local tunnels. */
export function createSsh(deps: SshDeps): Ssh {
  const { profiles, now } = deps;
  const knownHosts = deps.knownHostsFiles ?? [join(userInfo().homedir, '.ssh', 'known_hosts')];
  const hostKeys = new HostKeyPolicy(knownHosts, new TrustedHostKeyRepository(deps.db), now);
  const prompts = new HostKeyPrompts((prompt) => deps.emit('onHostKeyPrompt', prompt), deps.hostKeyPromptTimeoutMs);
  const prompterFor = (profileId: string) => deps.hostKeyPrompter ?? prompts.prompterFor(profileId);
  const agentSocket = deps.agentSocket ?? process.env.SSH_AUTH_SOCK;
  const sessions = new SessionManager({ profiles, hostKeys, prompterFor, onState: deps.onState, agentSocket, now });
  const tunnels = new TunnelService(profiles, sessions, now);
  return {
    hostKeys,
    prompts,
    sessions,
    tunnels,
    prompterFor,
    agentSocket,
    async dispose() {
      await tunnels.dispose();
      await sessions.dispose();
    },
  };
}
