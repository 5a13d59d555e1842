import type { redisKeyTypes } from '../../../../shared/contract';
import type {
  RedisEdit,
  RedisInfoSection,
  RedisKeyEntry,
  RedisKeyFacts,
  RedisRunResult,
  RedisSample,
  RedisValuePage,
} from '../../../../shared/contract';
import type { Notice } from './notice';

export type BrowserView = 'keys' | 'info' | 'slowlog' | 'sample';

/** An edit of the selected key on its way through the gate. */
export interface BrowserEdit {
  key: string;
  edit: RedisEdit;
  pending?: RedisRunResult;
  typedName: string;
  result?: RedisRunResult;
  running: boolean;
}

/** One profile's key browser. */
export interface BrowserPane {
  match: string;
  /** Only keys of this type ('' for any). */
  type: (typeof redisKeyTypes)[number] | '';
  delimiter: string;
  keys: RedisKeyEntry[];
  cursor: string;
  done: boolean;
  scanning: boolean;
  /** The operator paused a "scan all". */
  paused: boolean;
  error?: Notice;
  expanded: Record<string, boolean>;
  selected?: string;
  facts?: RedisKeyFacts;
  value?: RedisValuePage;
  valueLoading: boolean;
  edit?: BrowserEdit;
  view: BrowserView;
  info?: { sections: RedisInfoSection[]; note?: string };
  slowlog?: { columns: string[]; rows: (string | number | null)[][]; note?: string };
  sample?: RedisSample;
}

export interface RedisBrowserSlice {
  browserPanes: Record<string, BrowserPane>;
  browserFilterChanged(profileId: string, change: Partial<Pick<BrowserPane, 'match' | 'type' | 'delimiter'>>): void;
  /** One page (`all`: page after page until done, paused or the listing cap); `fresh` starts over at cursor 0. */
  browserScanRequested(profileId: string, options: { fresh?: boolean; all?: boolean }): Promise<void>;
  browserPaused(profileId: string): void;
  browserFolderToggled(profileId: string, path: string): void;
  browserKeySelected(profileId: string, key: string): Promise<void>;
  browserValueMore(profileId: string): Promise<void>;
  browserEditRequested(profileId: string, edit: RedisEdit): Promise<void>;
  browserEditNameTyped(profileId: string, typedName: string): void;
  browserEditConfirmed(profileId: string): Promise<void>;
  browserEditDismissed(profileId: string): void;
  browserViewChosen(profileId: string, view: BrowserView): Promise<void>;
}
