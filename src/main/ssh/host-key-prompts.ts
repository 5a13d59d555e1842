import { randomUUID } from 'node:crypto';
import type { HostKeyPrompt } from '../../shared/contract';
import { OpsError } from '../errors';
import type { HostKeyPrompter, HostKeyQuestion } from './host-key-policy';

/**
 * Unknown host keys asked of the operator through an event (the app's dialog), answered by
 * sessions.answerHostKey. A question nobody answers counts as "no" after the timeout, and
 * disposing answers every open one "no", so no connection waits on a closed window.
 */
export class HostKeyPrompts {
  readonly #pending = new Map<string, (trust: boolean) => void>();

  constructor(
    private readonly emit: (prompt: HostKeyPrompt) => void,
    private readonly timeoutMs = 120_000,
  ) {}

  /** The prompter for one profile's connection: its questions name the profile. */
  prompterFor(profileId: string): HostKeyPrompter {
    return { ask: (question) => this.#ask(profileId, question) };
  }

  answer(promptId: string, trust: boolean): void {
    const answer = this.#pending.get(promptId);
    if (!answer)
      throw new OpsError(
        'not_found',
        'That host-key question is no longer open (it timed out or was answered): connect again.',
      );
    answer(trust);
  }

  dispose(): void {
    for (const answer of [...this.#pending.values()]) answer(false);
  }

  #ask(profileId: string, question: HostKeyQuestion): Promise<boolean> {
    const prompt: HostKeyPrompt = { promptId: randomUUID(), profileId, ...question };
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => answer(false), this.timeoutMs);
      const answer = (trust: boolean) => {
        clearTimeout(timer);
        this.#pending.delete(prompt.promptId);
        resolve(trust);
      };
      this.#pending.set(prompt.promptId, answer);
      this.emit(prompt);
    });
  }
}
