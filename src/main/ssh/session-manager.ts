import type { Socket } from 'node:net';
import type { Client } from 'ssh2';
import type { SessionState, SessionStateEvent } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import { profileHops, type HopConfig } from '../profiles/hops';
import { connectChain, type Chain } from './connect-chain';
import type { HostKeyPolicy, HostKeyPrompter } from './host-key-policy';
import { Liveness, livenessPolicy } from './liveness';
import { isFatal, ReconnectSchedule } from './reconnect';

export interface SessionManagerDeps {
  profiles: ProfileRepository;
  hostKeys: HostKeyPolicy;
  /** The prompter for one profile's unknown host keys (the UI names the profile that asks). */
  prompterFor(profileId: string): HostKeyPrompter;
  onState(event: SessionStateEvent): void;
  agentSocket?: string;
  now?: () => Date;
  /** Backoff between reconnect attempts (ms), for tests; 1 s doubling up to 30 s by default. */
  backoff?: { firstMs: number; maxMs: number };
  /** How long a liveness probe (resume, checkAll) waits for the server before it calls the session dead. */
  probeTimeoutMs?: number;
}

interface ManagedSession {
  profileId: string;
  label: string;
  state: SessionState;
  reason?: string;
  chain?: Chain;
  /** The attempt in flight (first connect or a reconnect); callers share it. */
  connecting?: Promise<Client>;
  reconnect?: ReconnectSchedule;
  watchdog?: NodeJS.Timeout;
  /** Per-connection resources (driver connections): dropped when the connection is lost or closed. */
  dependents: Set<() => void>;
  /** Profile-lifetime resources (local forwards): disposed only when the session is closed. */
  owned: Set<() => void>;
}

/**
 * Open SSH sessions, one per profile: host keys checked on every hop, keepalive, detection of a
 * dead session within 10 s, reconnect with backoff, and a state pushed on every change.
 */
export class SessionManager {
  readonly #sessions = new Map<string, ManagedSession>();

  constructor(private readonly deps: SessionManagerDeps) {}

  /**
   * Resolves with the target host's client once every hop is up; concurrent calls share one
   * attempt. While reconnecting, a call tries again at once instead of waiting for the backoff.
   */
  connect(profileId: string): Promise<Client> {
    const existing = this.#sessions.get(profileId);
    if (existing?.chain && (existing.state === 'ready' || existing.state === 'degraded'))
      return Promise.resolve(existing.chain.clients.at(-1)!);
    if (existing?.connecting) return existing.connecting;
    const profile = this.deps.profiles.get(profileId);
    if (!profile.ssh)
      return Promise.reject(
        new OpsError(
          'invalid_input',
          `Profile "${profile.name}" has no SSH settings: add ssh.host, ssh.user and auth in the profile editor.`,
        ),
      );
    const session: ManagedSession = existing ?? {
      profileId,
      label: profile.name,
      state: 'connecting',
      dependents: new Set(),
      owned: new Set(),
    };
    this.#sessions.set(profileId, session);
    session.reconnect?.cancel();
    if (session.state !== 'reconnecting')
      this.setState(
        session,
        'connecting',
        `Connecting to ${profile.ssh.user}@${profile.ssh.host}:${profile.ssh.port}${profile.ssh.jumps.length ? ` through ${profile.ssh.jumps.length} jump host(s)` : ''}`,
      );
    return this.attempt(session, profile);
  }

  private attempt(session: ManagedSession, profile: ProfileView): Promise<Client> {
    const attempt = this.open(profile, session).finally(() => {
      if (session.connecting === attempt) session.connecting = undefined;
    });
    session.connecting = attempt;
    return attempt;
  }

  private async open(profile: ProfileView, session: ManagedSession): Promise<Client> {
    const ssh = profile.ssh!;
    let chain: Chain;
    try {
      chain = await connectChain(this.hops(profile), {
        verifyHostKey: (host, port, key) =>
          this.deps.hostKeys.verify(host, port, key, this.deps.prompterFor(profile.id)),
        knownKeyTypes: (host, port) => this.deps.hostKeys.knownKeyTypes(host, port),
        keepaliveIntervalMs: ssh.keepaliveIntervalMs,
        agentSocket: this.deps.agentSocket,
      });
    } catch (error) {
      this.onAttemptFailed(session, error);
      throw error;
    }
    if (this.#sessions.get(session.profileId) !== session || session.state === 'closed') {
      for (const client of chain.clients.reverse()) client.end();
      throw new OpsError('cancelled', `The session for "${profile.name}" was closed while it connected.`);
    }
    const wasReconnecting = session.reconnect !== undefined;
    session.reconnect = undefined;
    this.adopt(session, chain, ssh.keepaliveIntervalMs);
    this.setState(session, 'ready', `${wasReconnecting ? 'Reconnected' : 'Connected'} to ${ssh.host}:${ssh.port}`);
    return chain.clients.at(-1)!;
  }

  private onAttemptFailed(session: ManagedSession, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!session.reconnect || isFatal(error)) {
      session.reconnect = undefined;
      if (session.state !== 'closed') this.setState(session, 'failed', message);
      return;
    }
    const delay = session.reconnect.next(() => this.retry(session));
    this.setState(
      session,
      'reconnecting',
      `Reconnect attempt ${session.reconnect.attempts} failed: ${message} Next try in ${Math.round(delay / 1000)} s.`,
    );
  }

  private retry(session: ManagedSession): void {
    if (session.state === 'closed' || session.connecting) return;
    let profile: ProfileView;
    try {
      profile = this.deps.profiles.get(session.profileId);
    } catch (error) {
      this.onAttemptFailed(session, error);
      return;
    }
    this.attempt(session, profile).catch(() => undefined); // the state change carries the failure
  }

  /**
   * Watches the connection: any hop closing changes the state at once; a hop that stops
   * answering is probed, reported degraded, and declared dead after 8 s of silence.
   */
  private adopt(session: ManagedSession, chain: Chain, keepaliveIntervalMs: number): void {
    session.chain = chain;
    // Monotonic time: a wall clock set back (NTP, a manual change) must not blind the watchdog.
    const liveness = new Liveness(livenessPolicy(keepaliveIntervalMs), chain.clients.length, performance.now());
    chain.transports.forEach((transport, hop) => transport.on('data', () => liveness.heard(hop, performance.now())));
    for (const client of chain.clients) {
      let lastError: string | undefined;
      client.on('error', (error: Error) => (lastError = error.message));
      client.on('close', () => this.onLost(session, chain, lastError ?? 'the server closed the connection'));
    }
    chain.socket.on('close', () => this.onLost(session, chain, 'the network connection closed'));
    session.watchdog = setInterval(() => {
      const verdict = liveness.tick(performance.now());
      for (const hop of verdict.probe) sendProbe(chain.clients[hop]!, () => undefined);
      if (verdict.dead) {
        chain.socket.destroy();
        this.onLost(
          session,
          chain,
          `no answer from ${this.hopName(session, verdict.dead.hop)} for ${Math.round(verdict.dead.silentMs / 1000)} s`,
        );
      } else if (verdict.degraded && session.state === 'ready') {
        this.setState(
          session,
          'degraded',
          `No answer from the server for ${Math.round(verdict.silentMs / 1000)} s; the session is dropped and rebuilt if this lasts 8 s.`,
        );
      } else if (!verdict.degraded && session.state === 'degraded') {
        this.setState(session, 'ready', 'The server answers again');
      }
    }, 1000);
    session.watchdog.unref();
  }

  private hopName(session: ManagedSession, hop: number): string {
    try {
      const ssh = this.deps.profiles.get(session.profileId).ssh!;
      const h = [...ssh.jumps, ssh][hop]!;
      return `${h.host}:${h.port}`;
    } catch {
      return `hop ${hop + 1}`;
    }
  }

  private hops(profile: ProfileView): HopConfig[] {
    // Each hop authenticates with its own secrets (jump1Password…, sshPassword for the target):
    // one host's password is never offered to another. See profiles/hops.ts (issue 3).
    return profileHops(profile, (name) => this.deps.profiles.secret(profile.id, name));
  }

  /** A hop closed or the keepalive gave up: drop what rode on it, then rebuild with backoff. */
  private onLost(session: ManagedSession, chain: Chain, why: string): void {
    if (session.chain !== chain) return;
    session.chain = undefined;
    if (session.state !== 'closed') {
      session.reconnect = new ReconnectSchedule(this.deps.backoff);
      // The state goes first, so what is torn down next can tell its users why.
      this.setState(
        session,
        'reconnecting',
        `Lost the SSH session to ${this.targetOf(session)}: ${why}. Reconnecting…`,
      );
    }
    this.dropConnection(session, chain);
    if (session.state === 'reconnecting') this.retry(session);
  }

  private targetOf(session: ManagedSession): string {
    try {
      const ssh = this.deps.profiles.get(session.profileId).ssh;
      return ssh ? `${ssh.host}:${ssh.port}` : session.label;
    } catch {
      return session.label;
    }
  }

  /**
   * Checks every session at once (Electron's powerMonitor `resume`, a network change): each
   * open connection must answer a probe within the timeout or it is dropped and rebuilt;
   * sessions waiting for a reconnect try now. Resolves once every check has finished.
   */
  async checkAll(): Promise<SessionStateEvent[]> {
    await Promise.all(
      [...this.#sessions.values()].map(async (session) => {
        const chain = session.chain;
        if (chain && (session.state === 'ready' || session.state === 'degraded')) {
          const alive = await probe(chain, this.deps.probeTimeoutMs ?? 5000);
          if (!alive && session.chain === chain) {
            chain.socket.destroy();
            this.onLost(session, chain, 'the server did not answer after the computer woke up');
          }
        } else if (session.state === 'reconnecting' && !session.connecting) {
          session.reconnect?.cancel();
          this.retry(session);
        }
        await session.connecting?.catch(() => undefined);
      }),
    );
    return this.list();
  }

  /** Registers a teardown for a per-connection resource (dropped on loss and on close); returns the unregister function. */
  attach(profileId: string, dispose: () => void): () => void {
    const session = this.#sessions.get(profileId);
    if (!session?.chain)
      throw new OpsError('ssh_disconnected', 'The SSH session is not open: connect the profile first.');
    session.dependents.add(dispose);
    return () => session.dependents.delete(dispose);
  }

  /** Registers a resource that lives until the session is closed (survives reconnects). */
  own(profileId: string, dispose: () => void): () => void {
    const session = this.#sessions.get(profileId);
    if (!session) throw new OpsError('ssh_disconnected', 'The SSH session is not open: connect the profile first.');
    session.owned.add(dispose);
    return () => session.owned.delete(dispose);
  }

  state(profileId: string): SessionStateEvent | undefined {
    const session = this.#sessions.get(profileId);
    return session && this.event(session);
  }

  /** Closes the session and everything it owns (driver connections, local forwards, timers). */
  async disconnect(profileId: string): Promise<void> {
    const session = this.#sessions.get(profileId);
    if (!session) return;
    this.#sessions.delete(profileId);
    session.state = 'closed';
    session.reconnect?.cancel();
    session.reconnect = undefined;
    const owned = [...session.owned];
    session.owned.clear();
    for (const dispose of owned) dispose();
    const chain = session.chain;
    session.chain = undefined;
    this.dropConnection(session, chain);
    this.setState(session, 'closed', 'Disconnected');
    if (chain) await waitClosed(chain);
  }

  list(): SessionStateEvent[] {
    return [...this.#sessions.values()].map((s) => this.event(s));
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.disconnect(id)));
  }

  private dropConnection(session: ManagedSession, chain: Chain | undefined): void {
    clearInterval(session.watchdog);
    session.watchdog = undefined;
    const dependents = [...session.dependents];
    session.dependents.clear();
    for (const dispose of dependents) dispose();
    if (!chain) return;
    for (const client of [...chain.clients].reverse()) client.end();
    // end() waits politely for the server; a dead one never answers, so do not wait on it.
    setTimeout(() => chain.socket.destroy(), 1000).unref();
  }

  private setState(session: ManagedSession, state: SessionState, reason?: string): void {
    session.state = state;
    session.reason = reason;
    this.deps.onState(this.event(session));
  }

  private event(session: ManagedSession): SessionStateEvent {
    return {
      profileId: session.profileId,
      state: session.state,
      reason: session.reason,
      at: (this.deps.now?.() ?? new Date()).toISOString(),
    };
  }
}

/**
 * A global request that needs the server's answer and changes nothing on it (cancelling a
 * remote forward that was never asked for: the server answers "failure"). Any answer proves
 * the hop alive.
 */
function sendProbe(client: Client, answered: () => void): void {
  try {
    client.unforwardIn('127.0.0.1', 1, () => answered());
  } catch {
    // not writable any more: the close handler reports it
  }
}

/** Probes every hop at once: true when all answer within the timeout. */
function probe(chain: Chain, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let pending = chain.clients.length;
    const timer = setTimeout(() => resolve(false), timeoutMs);
    for (const client of chain.clients) {
      sendProbe(client, () => {
        if (--pending === 0) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    }
  });
}

function waitClosed(chain: Chain): Promise<void> {
  const socket: Socket = chain.socket;
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
