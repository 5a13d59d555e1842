import type { ReactElement } from 'react';
import type { ProfileView } from '../../../../shared/profile';
import type { ProfileDraft } from './profile-draft';

/** A text field of the draft: its label, the draft key, the schema path its error comes under. */
export type TextFieldOf = (
  label: string,
  key: keyof ProfileDraft,
  path: string,
  extra?: { type?: string; placeholder?: string; autoFocus?: boolean },
) => ReactElement;

/** What each fieldset of the profile editor gets from the form. */
export interface SectionProps {
  draft: ProfileDraft;
  /** Changes the draft (and forgets the preview and the test result, which described the old one). */
  update(change: Partial<ProfileDraft>): void;
  /** Field errors by schema path, once the form was submitted. */
  errors: Record<string, string>;
  /** The stored profile being edited (its secrets are only known as stored or not). */
  profile: ProfileView | undefined;
  text: TextFieldOf;
}
