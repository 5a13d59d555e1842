import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { TunnelView } from '../../shared/contract';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import { forwardOut } from './connect-chain';
import type { SessionManager } from './session-manager';

interface Tunnel {
  view: TunnelView;
  server: Server;
  sockets: Set<Socket>;
  unregister: () => void;
}

export interface TunnelRequest {
  profileId: string;
  /** As seen from the last hop; defaults to the profile's Postgres host and port. */
  remoteHost?: string;
  remotePort?: number;
  /** 0 or absent: any free port. */
  localPort?: number;
}

/**
 * Local forwards the operator asked for (to point their own psql at): bound to 127.0.0.1 only,
 * half-close kept (allowHalfOpen), listed until closed. A forward outlives reconnects (new
 * connections wait for the rebuilt session) and is closed with its profile's session.
 */
export class TunnelService {
  readonly #tunnels = new Map<string, Tunnel>();

  constructor(
    private readonly profiles: ProfileRepository,
    private readonly sessions: SessionManager,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async open(request: TunnelRequest): Promise<TunnelView> {
    const profile = this.profiles.get(request.profileId);
    const remoteHost = request.remoteHost ?? profile.postgres?.host;
    const remotePort = request.remotePort ?? profile.postgres?.port;
    if (!remoteHost || !remotePort) {
      throw new OpsError(
        'invalid_input',
        `remoteHost and remotePort are missing and profile "${profile.name}" has no Postgres settings to default to: give the host and port to forward to.`,
      );
    }
    await this.sessions.connect(profile.id);
    const id = randomUUID();
    const sockets = new Set<Socket>();
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(tunnel, socket));
    await listen(server, request.localPort ?? 0).catch((error: Error) => {
      throw new OpsError(
        'conflict',
        `Cannot listen on 127.0.0.1:${request.localPort}: ${error.message}. Choose another local port, or 0 for any free one.`,
      );
    });
    const address = server.address();
    const localPort = typeof address === 'object' && address ? address.port : 0;
    const view: TunnelView = {
      tunnelId: id,
      profileId: profile.id,
      localHost: '127.0.0.1',
      localPort,
      remoteHost,
      remotePort,
      openedAt: this.now().toISOString(),
      activeConnections: 0,
    };
    const tunnel: Tunnel = { view, server, sockets, unregister: () => undefined };
    try {
      tunnel.unregister = this.sessions.own(profile.id, () => this.closeTunnel(tunnel));
    } catch (error) {
      server.close(); // the session was closed while the listener was opening
      throw error;
    }
    this.#tunnels.set(id, tunnel);
    return { ...view };
  }

  private accept(tunnel: Tunnel, socket: Socket): void {
    socket.setNoDelay(true);
    tunnel.sockets.add(socket);
    socket.once('close', () => tunnel.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const { profileId, remoteHost, remotePort } = tunnel.view;
    // Waits for the session when it is being rebuilt; the operator's client just sees a slow connect.
    this.sessions
      .connect(profileId)
      .then((client) => forwardOut(client, remoteHost, remotePort))
      .then(
        (channel) => {
          if (socket.destroyed) return channel.destroy();
          channel.on('error', () => socket.destroy());
          socket.on('close', () => channel.destroy());
          channel.on('close', () => socket.destroy());
          socket.pipe(channel);
          channel.pipe(socket);
          socket.resume();
        },
        () => socket.destroy(),
      );
  }

  list(profileId?: string): TunnelView[] {
    return [...this.#tunnels.values()]
      .filter((t) => !profileId || t.view.profileId === profileId)
      .map((t) => ({ ...t.view, activeConnections: t.sockets.size }));
  }

  async close(tunnelId: string): Promise<void> {
    const tunnel = this.#tunnels.get(tunnelId);
    if (!tunnel)
      throw new OpsError(
        'not_found',
        `No open local forward with id ${tunnelId}: it was already closed (or its profile disconnected). Refresh the list.`,
      );
    tunnel.unregister();
    await this.closeTunnel(tunnel);
  }

  private closeTunnel(tunnel: Tunnel): Promise<void> {
    this.#tunnels.delete(tunnel.view.tunnelId);
    for (const socket of tunnel.sockets) socket.destroy();
    return new Promise((resolve) => tunnel.server.close(() => resolve()));
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#tunnels.values()].map((t) => this.closeTunnel(t)));
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Never any other interface: the forward is for this machine's own clients only.
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
