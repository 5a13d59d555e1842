import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { OpsError } from '../errors';

export type VaultProtection = 'keychain' | 'file';

/** Where the 32-byte vault key comes from. */
export interface VaultKeySource {
  /** 'keychain' when the OS keychain holds the key; 'file' when only a 0600 key file does. */
  readonly protection: VaultProtection;
  /** The key if this source already holds one; never creates it. */
  peekKey(): Buffer | undefined;
  loadOrCreateKey(): Buffer;
}

/** Which key sealed a store: where it is kept, and an HMAC of a fixed text under it (never the key). */
export interface KeyCheck {
  protection: VaultProtection;
  keyCheck: string;
}

/** Where the store keeps its KeyCheck (one per store), and one sealed secret to try a key on. */
export interface VaultKeyCheckStore {
  read(): KeyCheck | undefined;
  /** Records the check unless another process did first; returns the one recorded. */
  record(check: KeyCheck): KeyCheck;
  sample(): { sealed: Buffer; context: string } | undefined;
}

/** The associated data a profile's secret is sealed with. */
export function secretContext(profileId: string, name: string): string {
  return `profile:${profileId}:${name}`;
}

const version = 1;
const ivLength = 12;
const tagLength = 16;

function keyCheckOf(key: Buffer): string {
  return createHmac('sha256', key).update('ops-console vault key check v1').digest('base64');
}

function sameCheck(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

const where = (protection: VaultProtection) =>
  protection === 'keychain' ? 'the OS keychain' : 'the key file vault.key in the data folder';

/**
 * Seals secrets with AES-256-GCM before they reach SQLite. Layout: version byte, 12-byte IV,
 * 16-byte tag, ciphertext. The profile id and secret name are authenticated as associated data,
 * so a sealed value copied onto another profile does not open.
 *
 * With a check store, the vault uses the one source holding the key this store was sealed with,
 * and refuses (before sealing anything) when none does: the app and the CLI must share one key.
 */
export class Vault {
  #key: Buffer | undefined;
  #protection: VaultProtection | undefined;
  readonly #sources: VaultKeySource[];
  /** Every plaintext opened or sealed in this process, so logs and errors can be scrubbed of it. */
  readonly #known = new Set<string>();

  constructor(
    source: VaultKeySource | VaultKeySource[],
    private readonly checks?: VaultKeyCheckStore,
  ) {
    this.#sources = Array.isArray(source) ? source : [source];
    if (!this.#sources.length) throw new Error('Vault needs at least one key source');
  }

  /**
   * How this store's secrets are protected (the UI says so when it is a file only). Settles the
   * key first: a keychain that answers but refuses to store falls back to the file.
   */
  get protection(): VaultProtection {
    try {
      this.key();
    } catch {
      // reported when a secret is sealed or opened; here, say where the key is expected
    }
    return this.#protection ?? this.checks?.read()?.protection ?? this.#sources[0]!.protection;
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    this.remember(plaintext);
    return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, context: string): string {
    const plaintext = this.tryOpen(this.key(), sealed, context);
    this.remember(plaintext);
    return plaintext;
  }

  /** Replaces every secret this process has seen with "[redacted]". */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#known) out = out.split(secret).join('[redacted]');
    return out;
  }

  private tryOpen(key: Buffer, sealed: Buffer, context: string): string {
    if (sealed.length < 1 + ivLength + tagLength || sealed[0] !== version) {
      throw new OpsError(
        'vault_error',
        'A stored secret is damaged or from an unknown version: set it again in the profile editor.',
      );
    }
    const iv = sealed.subarray(1, 1 + ivLength);
    const tag = sealed.subarray(1 + ivLength, 1 + ivLength + tagLength);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + ivLength + tagLength)), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new OpsError(
        'vault_error',
        'A stored secret cannot be opened with this vault key (was the keychain entry or key file replaced?): set the secret again in the profile editor.',
        { cause },
      );
    }
  }

  private remember(plaintext: string): void {
    if (plaintext.length >= 4) this.#known.add(plaintext);
  }

  private key(): Buffer {
    if (!this.#key) {
      const { key, protection } = this.checks ? this.checkedKey(this.checks) : this.firstUsableKey();
      if (key.length !== 32)
        throw new OpsError(
          'vault_error',
          `The vault key in ${where(protection)} is not 32 bytes: it is damaged. Restore it from a backup, or remove it to start a new vault (stored secrets will need to be set again).`,
        );
      [this.#key, this.#protection] = [key, protection];
    }
    return this.#key;
  }

  /** The key this store was sealed with, from whichever source holds it; the first use records it. */
  private checkedKey(checks: VaultKeyCheckStore): { key: Buffer; protection: VaultProtection } {
    const recorded = checks.read();
    if (recorded) {
      for (const source of this.#sources) {
        const key = source.peekKey();
        if (key && sameCheck(keyCheckOf(key), recorded.keyCheck)) return { key, protection: source.protection };
      }
      throw new OpsError(
        'vault_error',
        `This store's secrets were sealed with the vault key kept in ${where(recorded.protection)}, and this process cannot find that key (it looked in ${this.#sources.map((s) => where(s.protection)).join(' and ')}). ` +
          (recorded.protection === 'keychain'
            ? 'Run it where that keychain is unlocked (your desktop session), not over SSH or in a service without one.'
            : 'Restore vault.key into the data folder, or run with OPSCONSOLE_VAULT=file as the app does.') +
          ' If the key is lost for good, export the profiles (exports carry no secrets), start a new data folder, import them and set the secrets again.',
      );
    }
    const { key, protection } = this.firstUsableKey();
    // A store sealed before checks existed: the key must open what is already there.
    const sample = checks.sample();
    if (sample) this.tryOpen(key, sample.sealed, sample.context);
    const stored = checks.record({ protection, keyCheck: keyCheckOf(key) });
    if (stored.keyCheck !== keyCheckOf(key)) return this.checkedKey(checks); // another process recorded first
    return { key, protection };
  }

  /**
   * The key of the first source that can hold one. A keychain can answer a read and still refuse
   * to store (a locked or absent Secret Service on a headless Linux): the key file is next.
   */
  private firstUsableKey(): { key: Buffer; protection: VaultProtection } {
    const failures: string[] = [];
    for (const source of this.#sources) {
      try {
        return { key: source.loadOrCreateKey(), protection: source.protection };
      } catch (error) {
        failures.push(`${where(source.protection)}: ${(error as Error).message}`);
      }
    }
    throw new OpsError(
      'vault_error',
      `No place to keep the vault key (${failures.join('; ')}). Check that the data folder is writable, or unlock the keychain.`,
    );
  }
}
