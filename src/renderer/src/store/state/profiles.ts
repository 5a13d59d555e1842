import type { AppInfo, ProfileSavePreview } from '../../../../shared/contract';
import type { ProfileInput, ProfileView } from '../../../../shared/profile';

export type EditorState = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; profileId: string };

export interface ProfilesSlice {
  info?: AppInfo;
  profiles: ProfileView[];
  profilesLoaded: boolean;
  selectedProfileId?: string;
  editor: EditorState;
  appStarted(): Promise<void>;
  profilesRequested(): Promise<void>;
  profileSelected(id: string): void;
  editorOpened(editor: EditorState): void;
  /** Saves; resolves to an error message for the form, or undefined when saved. */
  /**
   * Saves the form: `edited` is the profile as the editor loaded it (a change saved elsewhere since
   * is a conflict, not overwritten); `allowDowngrade` once the operator confirmed the downgrades
   * the save preview listed. Resolves to the error to show, if any.
   */
  profileSubmitted(
    profile: ProfileInput,
    edited?: Pick<ProfileView, 'id' | 'updatedAt'>,
    allowDowngrade?: boolean,
  ): Promise<string | undefined>;
  /** What saving an edit would change, when it moves the route or touches safety (then the form asks); undefined otherwise, or the error's message. */
  profileSavePreviewed(id: string, profile: ProfileInput): Promise<ProfileSavePreview | undefined | string>;
  profileRemoveRequested(id: string): Promise<void>;
  /** Creates (or reopens) the demo environment and opens its runbook against it. */
  demoRequested(): Promise<void>;
  demoCreating: boolean;
}
