import type { TrustedHostKeyView } from '../../shared/contract';
import { OpsError } from '../errors';
import type { TrustedHostKeyRepository } from '../store/trusted-host-key-repository';
import {
  checkKnownHostsFiles,
  fingerprintOf,
  keyTypeOf,
  knownHostsKeyTypes,
  verdictAmong,
  type HostKeyVerdict,
} from './host-keys';

export interface HostKeyQuestion {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

/** Asks the operator (a UI prompt, or the CLI's --trust-host-key) whether to trust an unknown key. */
export interface HostKeyPrompter {
  ask(question: HostKeyQuestion): Promise<boolean>;
}

/**
 * Decides on a presented host key before any credential is sent: known_hosts files first,
 * then the app's trust store; unknown keys go to the prompter, changed or revoked keys are refused.
 */
export class HostKeyPolicy {
  constructor(
    private readonly knownHostsFiles: string[],
    private readonly trusted: TrustedHostKeyRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  verdict(host: string, port: number, key: Buffer): HostKeyVerdict {
    const fromFiles = checkKnownHostsFiles(this.knownHostsFiles, host, port, key);
    if (fromFiles.status !== 'unknown') return fromFiles;
    const records = this.trusted.forHost(host, port).map((entry) => ({
      keyType: entry.keyType,
      key: Buffer.from(entry.keyBase64, 'base64'),
      source: 'app trust store',
    }));
    return verdictAmong(records, key);
  }

  /** Key types on record for host:port, known_hosts first: ssh2 asks the server for these first. */
  knownKeyTypes(host: string, port: number): string[] {
    return [
      ...new Set([
        ...knownHostsKeyTypes(this.knownHostsFiles, host, port),
        ...this.trusted.forHost(host, port).map((entry) => entry.keyType),
      ]),
    ];
  }

  /** Keys trusted in the app (Settings → Known hosts), without the key bodies. */
  listTrusted(): TrustedHostKeyView[] {
    return this.trusted
      .list()
      .map(({ host, port, keyType, fingerprint, trustedAt }) => ({ host, port, keyType, fingerprint, trustedAt }));
  }

  /** Forgets the app's trusted keys of host:port (one type, or all); returns how many were removed. */
  forget(host: string, port: number, keyType?: string): number {
    const types = keyType ? [keyType] : this.trusted.forHost(host, port).map((k) => k.keyType);
    const removed = types.filter((type) => this.trusted.forget(host, port, type)).length;
    if (removed === 0)
      throw new OpsError(
        'not_found',
        `No trusted ${keyType ?? 'host'} key for ${host}:${port} in the app: reload the list of known hosts.`,
      );
    return removed;
  }

  async verify(host: string, port: number, key: Buffer, prompter: HostKeyPrompter): Promise<void> {
    const fingerprint = fingerprintOf(key);
    const keyType = keyTypeOf(key);
    const verdict = this.verdict(host, port, key);
    switch (verdict.status) {
      case 'known':
        return;
      case 'revoked':
        throw new OpsError(
          'host_key_revoked',
          `Host key for ${host}:${port} (${fingerprint}) is marked @revoked in ${verdict.source}. Refusing to connect.`,
        );
      case 'changed':
        throw new OpsError(
          'host_key_changed',
          `Host key for ${host}:${port} changed (now ${verdict.knownKeyType ? `a ${keyType} key, ` : ''}${fingerprint}, expected ${verdict.knownKeyType ? `the ${verdict.knownKeyType} key ` : ''}${verdict.knownFingerprint} from ${verdict.source}). Refusing to connect: this can mean someone is intercepting the connection. If the key was really rotated, remove the old entry in Settings → Known hosts (or from ${verdict.source}) and connect again.`,
        );
      case 'unknown': {
        const trusted = await prompter.ask({ host, port, keyType, fingerprint });
        if (!trusted)
          throw new OpsError(
            'host_key_rejected',
            `Host key for ${host}:${port} (${fingerprint}) was not trusted, so nothing was sent. Connect again to be asked again.`,
          );
        this.trusted.trust({
          host,
          port,
          keyType,
          keyBase64: key.toString('base64'),
          fingerprint,
          trustedAt: this.now().toISOString(),
        });
      }
    }
  }
}
