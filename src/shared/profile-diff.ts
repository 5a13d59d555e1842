import { defaultMaskPatterns } from './mask-patterns';
import type { FieldChange } from './profile-constants';
import { defaultColors, defaultSafety, pgSslModes, type EnvironmentKind, type SafetyLevel } from './profile';

/** The part of a profile a diff reads: documents and views both fit. */
export interface DiffableProfile {
  environment: EnvironmentKind;
  color?: string;
  safety?: SafetyLevel;
}

const absent = '(none)';

function show(value: unknown): string {
  if (value === undefined || value === null) return absent;
  if (value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Flattens nested objects (and arrays of objects) to dotted paths; arrays of scalars stay whole. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  const isObjectList = Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null);
  if (value !== null && typeof value === 'object' && (!Array.isArray(value) || isObjectList)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    if (Array.isArray(value) && value.length === 0) out.set(prefix, []);
  } else if (value !== undefined) out.set(prefix, value);
  return out;
}

/** A profile with the defaults a view shows filled in, so an unset colour is not a change. */
function normalized(profile: DiffableProfile): Map<string, unknown> {
  const {
    id: _id,
    createdAt: _c,
    updatedAt: _u,
    secrets: _s,
    ...fields
  } = profile as DiffableProfile & Record<string, unknown>;
  const full = {
    ...fields,
    color: profile.color ?? defaultColors[profile.environment],
    safety: profile.safety ?? defaultSafety(profile.environment),
  };
  return flatten(full, '', new Map());
}

const environmentRank: Record<EnvironmentKind, number> = { development: 0, custom: 1, staging: 2, production: 3 };
const safetyRank: Record<SafetyLevel, number> = { standard: 0, production: 1, 'read-only': 2 };
const sslRank = (mode: unknown) => pgSslModes.indexOf(mode as (typeof pgSslModes)[number]);

/**
 * Why a field's new value is less safe than the old one, or undefined. A section that goes away
 * is no downgrade (nothing connects there any more); one that turns TLS off or accepts legacy
 * password requests is.
 */
function downgradeOf(field: string, before: unknown, after: unknown): string | undefined {
  if (field === 'allowAssistants' && after === true && before !== true)
    return 'lets AI assistants read through opsconsole mcp';
  if (field === 'rehearsalSample' && after === true && before !== true)
    return 'rehearsals may copy rows from the server';
  if (field === 'maskPatterns') return masksFewer(before, after) ? 'masks fewer result columns' : undefined;
  if (field === 'postgres.sslCa' && before !== undefined)
    return after === undefined ? 'no longer checks the server certificate against its CA' : undefined;
  if (field === 'ssh.legacyAlgorithms' && after === true && before !== true)
    return 'accepts legacy SSH algorithms (SHA-1)';
  if (before === undefined || after === undefined) return undefined;
  switch (field) {
    case 'environment':
      return environmentRank[after as EnvironmentKind] < environmentRank[before as EnvironmentKind]
        ? 'less protected environment'
        : undefined;
    case 'safety':
      return safetyRank[after as SafetyLevel] < safetyRank[before as SafetyLevel] ? 'weaker safety level' : undefined;
    case 'postgres.readOnlyByDefault':
      return before === true && after === false ? 'queries no longer read-only by default' : undefined;
    case 'postgres.sslmode':
      return sslRank(after) < sslRank(before) ? 'weaker Postgres TLS' : undefined;
    case 'postgres.legacyPasswordAuth':
      return before !== true && after === true ? 'accepts cleartext/MD5 password requests' : undefined;
    case 'redis.tls':
    case 'redis.tlsVerify':
      return before === true && after === false ? 'weaker Redis TLS' : undefined;
    default:
      return undefined;
  }
}

/** Whether a pattern that masked before is gone (absent patterns mean the default list). */
function masksFewer(before: unknown, after: unknown): boolean {
  const list = (value: unknown) =>
    (Array.isArray(value) ? (value as string[]) : [...defaultMaskPatterns]).map((p) => p.toLowerCase());
  const next = new Set(list(after));
  return list(before).some((pattern) => !next.has(pattern));
}

/** Every field that differs, in a stable order, each marked when it lowers safety. */
export function diffProfiles(before: DiffableProfile, after: DiffableProfile): FieldChange[] {
  const old = normalized(before);
  const next = normalized(after);
  const fields = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = old.get(field);
    const b = next.get(field);
    if (show(a) === show(b)) continue;
    const downgrade = downgradeOf(field, a, b);
    changes.push({ field, before: show(a), after: show(b), ...(downgrade ? { downgrade } : {}) });
  }
  return changes;
}

/** "environment: production → development (less protected environment)" */
export function describeChange(change: FieldChange): string {
  return `${change.field}: ${change.before} → ${change.after}${change.downgrade ? ` (DOWNGRADE: ${change.downgrade})` : ''}`;
}

/** Settings that are off (or the default list) unless a profile turns them on; each lowers safety when on. */
const permissiveFields = [
  'allowAssistants',
  'rehearsalSample',
  'maskPatterns',
  'ssh.legacyAlgorithms',
  'postgres.legacyPasswordAuth',
];

/**
 * What a NEW profile brings that is less safe than a profile's defaults (assistants allowed, row
 * samples, fewer masked columns, legacy algorithms or password auth), as changes from the default:
 * an import flags them, and refuses them on a production profile without --allow-downgrade.
 */
export function permissiveSettings(profile: DiffableProfile): FieldChange[] {
  const fields = normalized(profile);
  return permissiveFields.flatMap((field) => {
    const value = fields.get(field);
    const downgrade = value === undefined ? undefined : downgradeOf(field, false, value);
    return downgrade ? [{ field, before: 'default', after: show(value), downgrade }] : [];
  });
}

/**
 * What saving a NEW profile needs allowed first (the core refuses it otherwise, the app asks):
 * on a production profile, its settings less safe than the defaults; nothing below production.
 */
export function newProfileDowngrades(profile: DiffableProfile): FieldChange[] {
  return profile.environment === 'production' ? permissiveSettings(profile) : [];
}
