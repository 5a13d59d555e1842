import type { Client } from 'ssh2';
import type { SessionState, SessionStateEvent } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import { connectChain, type HopConfig } from './connect-chain';
import type { HostKeyPolicy, HostKeyPrompter } from './host-key-policy';

export interface SessionManagerDeps {
  profiles: ProfileRepository;
  hostKeys: HostKeyPolicy;
  /** The prompter for one profile's unknown host keys (the UI names the profile that asks). */
  prompterFor(profileId: string): HostKeyPrompter;
  onState(event: SessionStateEvent): void;
  agentSocket?: string;
  now?: () => Date;
}

interface ManagedSession {
  profileId: string;
  state: SessionState;
  reason?: string;
  clients: Client[];
  connecting?: Promise<Client>;
  /** Resources riding on this session (driver connections, forwards): torn down with it. */
  dependents: Set<() => void>;
}

/** Open SSH sessions, one per profile, keyed by profile id. */
export class SessionManager {
  readonly #sessions = new Map<string, ManagedSession>();

  constructor(private readonly deps: SessionManagerDeps) {}

  /** Resolves with the target host's client once every hop is up; concurrent calls share one attempt. */
  async connect(profileId: string): Promise<Client> {
    const existing = this.#sessions.get(profileId);
    if (existing?.state === 'ready' && existing.clients.length) return existing.clients.at(-1)!;
    if (existing?.connecting) return existing.connecting;
    const profile = this.deps.profiles.get(profileId);
    if (!profile.ssh) throw new OpsError('invalid_input', `Profile "${profile.name}" has no SSH settings: add ssh.host, ssh.user and auth in the profile editor.`);
    const session: ManagedSession = existing ?? { profileId, state: 'connecting', clients: [], dependents: new Set() };
    this.#sessions.set(profileId, session);
    this.setState(session, 'connecting', `Connecting to ${profile.ssh.user}@${profile.ssh.host}:${profile.ssh.port}`);
    session.connecting = this.open(profile, session).finally(() => {
      session.connecting = undefined;
    });
    return session.connecting;
  }

  private async open(profile: ProfileView, session: ManagedSession): Promise<Client> {
    try {
      const clients = await connectChain(this.hops(profile), {
        verifyHostKey: (host, port, key) => this.deps.hostKeys.verify(host, port, key, this.deps.prompterFor(profile.id)),
        keepaliveIntervalMs: profile.ssh!.keepaliveIntervalMs,
        agentSocket: this.deps.agentSocket,
      });
      session.clients = clients;
      const target = clients.at(-1)!;
      for (const client of clients) {
        client.on('close', () => this.onLost(session, client));
        client.on('error', () => undefined); // 'close' follows and carries the state change
      }
      this.setState(session, 'ready', `Connected to ${profile.ssh!.host}`);
      return target;
    } catch (error) {
      this.setState(session, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private hops(profile: ProfileView): HopConfig[] {
    const ssh = profile.ssh!;
    const password = ssh.auth === 'password' ? this.deps.profiles.secret(profile.id, 'sshPassword') : undefined;
    const passphrase = ssh.auth === 'key' ? this.deps.profiles.secret(profile.id, 'sshPassphrase') : undefined;
    const jumps: HopConfig[] = ssh.jumps.map((hop) => ({ ...hop }));
    return [...jumps, { host: ssh.host, port: ssh.port, user: ssh.user, auth: ssh.auth, keyPath: ssh.keyPath, password, passphrase }];
  }

  private onLost(session: ManagedSession, client: Client): void {
    if (!session.clients.includes(client)) return;
    this.teardown(session);
    if (session.state !== 'closed') this.setState(session, 'failed', 'The SSH session was lost. Connect again.');
  }

  /** Registers a teardown for something riding on the session; returns the unregister function. */
  attach(profileId: string, dispose: () => void): () => void {
    const session = this.#sessions.get(profileId);
    if (!session) throw new OpsError('ssh_disconnected', 'The SSH session is not open: connect the profile first.');
    session.dependents.add(dispose);
    return () => session.dependents.delete(dispose);
  }

  async disconnect(profileId: string): Promise<void> {
    const session = this.#sessions.get(profileId);
    if (!session) return;
    session.state = 'closed';
    this.teardown(session);
    this.#sessions.delete(profileId);
    this.setState(session, 'closed', 'Disconnected');
  }

  list(): SessionStateEvent[] {
    return [...this.#sessions.values()].map((s) => this.event(s));
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.disconnect(id)));
  }

  private teardown(session: ManagedSession): void {
    const dependents = [...session.dependents];
    session.dependents.clear();
    for (const dispose of dependents) dispose();
    for (const client of session.clients.reverse()) client.end();
    session.clients = [];
  }

  private setState(session: ManagedSession, state: SessionState, reason?: string): void {
    session.state = state;
    session.reason = reason;
    this.deps.onState(this.event(session));
  }

  private event(session: ManagedSession): SessionStateEvent {
    return { profileId: session.profileId, state: session.state, reason: session.reason, at: (this.deps.now?.() ?? new Date()).toISOString() };
  }
}
