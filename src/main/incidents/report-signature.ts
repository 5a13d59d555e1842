import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncidentEvent, IncidentReport } from '../../shared/incident';
import type { Vault } from '../vault/vault';
import { canonicalJson } from './canonical';

/** What a signed JSON export carries so a recipient can check it without the sender's store. */
export interface ReportSignature {
  algorithm: 'ed25519';
  /** Every event as hashed on the timeline: recompute each hash and the chain from these. */
  events: Pick<IncidentEvent, 'seq' | 'at' | 'operator' | 'kind' | 'payload' | 'prevHash' | 'hash'>[];
  headHash: string | null;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** SHA256:<base64> of the raw public key, as ssh-keygen prints key fingerprints. */
  fingerprint: string;
  /** Ed25519 over the canonical JSON of the whole report with this field left out. */
  signature: string;
}

const sealContext = 'incident-report-signing-key';
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex'); // DER header of an Ed25519 SubjectPublicKeyInfo

export function fingerprintOf(rawPublicKey: Buffer): string {
  return `SHA256:${hash('sha256', rawPublicKey, 'base64').replace(/=+$/, '')}`;
}

export function publicKeyFromRaw(base64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(base64, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}

/** The bytes a signature covers: the report, signed included, without the signature itself. */
export function signedBytes(
  report: Omit<IncidentReport, 'signed'> & { signed: Omit<ReportSignature, 'signature'> & { signature?: string } },
): Buffer {
  const { signature: _signature, ...signed } = report.signed;
  return Buffer.from(canonicalJson({ ...report, signed }), 'utf8');
}

/**
 * This installation's report signing key: Ed25519, created on first use, its private half sealed
 * by the vault like every other secret (a stolen data folder without the keychain cannot sign).
 */
export class ReportSigner {
  #key?: { privateKey: KeyObject; rawPublic: Buffer };

  constructor(
    private readonly dataDir: string,
    private readonly vault: Vault,
  ) {}

  private key(): { privateKey: KeyObject; rawPublic: Buffer } {
    if (this.#key) return this.#key;
    const file = join(this.dataDir, 'report-signing-key.sealed');
    let pkcs8: string;
    try {
      pkcs8 = this.vault.open(readFileSync(file), sealContext);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
      try {
        writeFileSync(file, this.vault.seal(pkcs8, sealContext), { mode: 0o600, flag: 'wx' });
      } catch (raced) {
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
        pkcs8 = this.vault.open(readFileSync(file), sealContext); // another process made it first
      }
    }
    const privateKey = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    const rawPublic = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length);
    return (this.#key = { privateKey, rawPublic });
  }

  fingerprint(): string {
    return fingerprintOf(this.key().rawPublic);
  }

  /** The report with its events' hashes, the public key, its fingerprint and the signature. */
  sign(report: IncidentReport, events: IncidentEvent[]): IncidentReport & { signed: ReportSignature } {
    const { privateKey, rawPublic } = this.key();
    const unsigned = {
      ...report,
      signed: {
        algorithm: 'ed25519' as const,
        events: events.map(({ seq, at, operator, kind, payload, prevHash, hash }) => ({
          seq,
          at,
          operator,
          kind,
          payload,
          prevHash,
          hash,
        })),
        headHash: report.chain.headHash,
        publicKey: rawPublic.toString('base64'),
        fingerprint: fingerprintOf(rawPublic),
      },
    };
    const signature = sign(null, signedBytes(unsigned), privateKey).toString('base64');
    return { ...unsigned, signed: { ...unsigned.signed, signature } };
  }
}
