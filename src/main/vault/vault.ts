import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OpsError } from '../errors';

/** Where the 32-byte vault key comes from. */
export interface VaultKeySource {
  /** 'keychain' when the OS keychain holds the key; 'file' when only a 0600 key file does. */
  readonly protection: 'keychain' | 'file';
  loadOrCreateKey(): Buffer;
}

const version = 1;
const ivLength = 12;
const tagLength = 16;

/**
 * Seals secrets with AES-256-GCM before they reach SQLite. Layout: version byte, 12-byte IV,
 * 16-byte tag, ciphertext. The profile id and secret name are authenticated as associated data,
 * so a sealed value copied onto another profile does not open.
 */
export class Vault {
  #key: Buffer | undefined;
  /** Every plaintext opened or sealed in this process, so logs and errors can be scrubbed of it. */
  readonly #known = new Set<string>();

  constructor(private readonly source: VaultKeySource) {}

  get protection(): 'keychain' | 'file' {
    return this.source.protection;
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
    if (sealed.length < 1 + ivLength + tagLength || sealed[0] !== version) {
      throw new OpsError('vault_error', 'A stored secret is damaged or from an unknown version: set it again in the profile editor.');
    }
    const iv = sealed.subarray(1, 1 + ivLength);
    const tag = sealed.subarray(1 + ivLength, 1 + ivLength + tagLength);
    const decipher = createDecipheriv('aes-256-gcm', this.key(), iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      const plaintext = Buffer.concat([decipher.update(sealed.subarray(1 + ivLength + tagLength)), decipher.final()]).toString('utf8');
      this.remember(plaintext);
      return plaintext;
    } catch (cause) {
      throw new OpsError('vault_error', 'A stored secret cannot be opened with this vault key (was the keychain entry or key file replaced?): set the secret again in the profile editor.', { cause });
    }
  }

  /** Replaces every secret this process has seen with "[redacted]". */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#known) out = out.split(secret).join('[redacted]');
    return out;
  }

  private remember(plaintext: string): void {
    if (plaintext.length >= 4) this.#known.add(plaintext);
  }

  private key(): Buffer {
    this.#key ??= this.source.loadOrCreateKey();
    if (this.#key.length !== 32) throw new OpsError('vault_error', 'The vault key is not 32 bytes: remove it to start a new vault (stored secrets will need to be set again).');
    return this.#key;
  }
}
