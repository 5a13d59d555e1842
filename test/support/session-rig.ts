import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisposableStore, type Disposable } from '../../src/main/lifecycle/disposable-store';
import { CoreEvents, type EventListener } from '../../src/main/lifecycle/events';
import { createSsh } from '../../src/main/ssh/index';
import type { SessionManager } from '../../src/main/ssh/session-manager';
import { openStore } from '../../src/main/store/index';
import type { ProfileRepository } from '../../src/main/store/profile-repository';
import { fileKeySource } from '../../src/main/vault/key-sources';
import type { Vault } from '../../src/main/vault/vault';
import { profileInputSchema, type ProfileInput, type ProfileView } from '../../src/shared/profile';

export interface SessionRig {
  dataDir: string;
  vault: Vault;
  profiles: ProfileRepository;
  sessions: SessionManager;
  /** The contract's events of what the rig builds: hand `emit` to a service, `subscribe` to a client. */
  emit: EventListener;
  subscribe(listener: EventListener): () => void;
  /** Saves a profile as `profiles.save` would a new one (secrets sealed in the vault). */
  saveProfile(input: ProfileInput): ProfileView;
  /** Owns a service built over the rig: disposed before the sessions and the store. */
  own<T extends Disposable>(service: T): T;
  dispose(): Promise<void>;
}

/**
 * A temp store and SSH sessions built from their own modules, as the core builds them, for the
 * tests and benchmarks that measure one service below the contract (a client's state after its
 * session died, a pool's cost): they build that one service over `profiles` and `sessions`.
 * Every host key is trusted, as with the CLI's --trust-host-key.
 */
export function sessionRig(): SessionRig {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsconsole-rig-'));
  const now = () => new Date();
  const owner = new DisposableStore();
  const events = new CoreEvents();
  const { db, vault, profiles } = owner.add(openStore({ dataDir, keySource: fileKeySource(dataDir), now }));
  const ssh = owner.add(
    createSsh({
      db,
      profiles,
      now,
      emit: events.emit,
      knownHostsFiles: [],
      hostKeyPrompter: { ask: async () => true },
      onState: () => undefined,
    }),
  );
  return {
    dataDir,
    vault,
    profiles,
    sessions: ssh.sessions,
    emit: events.emit,
    subscribe: (listener) => events.subscribe(listener),
    saveProfile: (input) => profiles.save(profileInputSchema.parse(input)),
    own: (service) => owner.add(service),
    async dispose() {
      await owner.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
