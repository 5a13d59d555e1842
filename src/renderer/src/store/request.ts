import type { InputOf, OperationName, OutputOf } from '../../../shared/contract';
import { noticeFrom } from './notice-slice';
import type { Notice, NoticeSlice } from './state/notice';
import { transport } from './transport-ref';

/** Where a failed request's notice goes: the app's notice bar, or the pane that asked. */
export type ShowNotice = (notice: Notice) => void;

/** The app's notice bar, as slices reach it through their `get`. */
export const noticeBar =
  (get: () => Pick<NoticeSlice, 'noticeShown'>): ShowNotice =>
  (notice) =>
    get().noticeShown(notice);

/**
 * The invoke-then-notice pattern of every action: calls one contract operation; when it fails,
 * `show` gets the notice (code and message) and the answer is undefined.
 */
export async function request<K extends OperationName>(
  show: ShowNotice,
  name: K,
  input: InputOf<K>,
): Promise<OutputOf<K> | undefined> {
  try {
    return await transport().invoke(name, input);
  } catch (error) {
    show(noticeFrom(error));
    return undefined;
  }
}

/** Like request(), for work of several steps: false (and the notice shown) when any step failed. */
export async function attempt(show: ShowNotice, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    show(noticeFrom(error));
    return false;
  }
}
