import { writePolicy, type ProfileView } from '../../shared/profile';

/** What confirming a gated Redis command takes on this profile: a click, or its name typed. */
export interface ConfirmationRequest {
  policy: 'confirm' | 'type-profile-name';
  profileName: string;
}

/**
 * Where a gated command stands with the operator's confirmation: forbidden by the profile's
 * safety level, waiting for a confirmation, confirmed with the wrong name, or confirmed. One rule
 * for redis.run and redis.watch (MONITOR).
 */
export type ConfirmationVerdict =
  | { kind: 'forbidden' }
  | { kind: 'ask'; confirmation: ConfirmationRequest }
  | { kind: 'wrong-name'; typed?: string }
  | { kind: 'confirmed'; method: 'click' | 'typed-name' };

export function checkConfirmation(
  profile: ProfileView,
  confirm: { typedName?: string } | undefined,
): ConfirmationVerdict {
  const policy = writePolicy(profile);
  if (policy === 'forbidden') return { kind: 'forbidden' };
  const confirmation: ConfirmationRequest = {
    policy: policy === 'type-profile-name' ? 'type-profile-name' : 'confirm',
    profileName: profile.name,
  };
  if (!confirm) return { kind: 'ask', confirmation };
  const typed = confirm.typedName?.trim();
  if ((confirmation.policy === 'type-profile-name' || typed !== undefined) && typed !== profile.name)
    return { kind: 'wrong-name', typed };
  return { kind: 'confirmed', method: typed !== undefined ? 'typed-name' : 'click' };
}

/** The refusal for a wrong or missing typed name. */
export function wrongNameMessage(profile: ProfileView, typed: string | undefined): string {
  return typed
    ? `Refused: the name typed ("${typed}") is not the profile's name "${profile.name}". Nothing was sent.`
    : `Refused: "${profile.name}" is a production profile; type its name to confirm. Nothing was sent.`;
}
