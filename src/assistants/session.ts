import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Core } from '../main/core';
import { OpsError, toErrorPayload } from '../main/errors';
import type { ProfileView } from '../shared/profile';
import { Budget, type AssistantLimits } from './limits';
import { toCallResult, type ToolReply } from './reply';

/** What a session needs of the core: the contract, and the one redactor. */
export type AssistantCore = Pick<Core, 'invoke' | 'redact'>;

export interface AssistantSessionOptions {
  /**
   * Loads the core (the store, the native modules, the Postgres and SSH code) on first use: the
   * server answers `initialize` and `tools/list` without it, so an assistant starts fast.
   */
  loadCore(): Promise<AssistantCore>;
  /** Checks the loaded core once (the --incident and --profile given exist); a failure answers every call. */
  check?(core: AssistantCore): Promise<void>;
  /** Only these profiles (by name); without it, every profile that allows assistants. */
  profiles?: string[];
  /** Record into this incident; without it, the active one. */
  incidentId?: string;
  limits: AssistantLimits;
  /** The assistant's name from the MCP clientInfo, once the client has introduced itself. */
  agent(): string;
}

type Outcome = 'ok' | 'error' | 'refused' | 'timeout';

/** Longest argument text kept in the record: a megabyte paste is noted, not stored. */
const maxRecordedArgument = 2000;

function recordable(args: Record<string, unknown>): Record<string, unknown> {
  const cut = (v: unknown): unknown =>
    typeof v === 'string' && v.length > maxRecordedArgument
      ? `${v.slice(0, maxRecordedArgument)}… [${v.length} characters]`
      : Array.isArray(v)
        ? v.map(cut)
        : v;
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, cut(v)]));
}

function outcomeOf(error: unknown): Outcome {
  const { code } = toErrorPayload(error);
  return code === 'refused' ? 'refused' : code === 'timeout' ? 'timeout' : 'error';
}

/**
 * One assistant's connection: consent and scope per profile, the budget, the reply limits, and the
 * record of every call. Every tool goes through `call`, and reaches the core only by its contract.
 */
export class AssistantSession {
  readonly budget: Budget;

  #loading: Promise<AssistantCore> | undefined;
  #loaded: AssistantCore | undefined;
  /** The core as the tools call it: every call waits for the one load, then goes through the contract. */
  readonly core: AssistantCore;

  constructor(readonly options: AssistantSessionOptions) {
    this.budget = new Budget(options.limits);
    this.core = {
      invoke: async (name, input) => (await this.ready()).invoke(name, input),
      // Nothing reaches a reply before the core is loaded (every reply comes from it), so before then there is nothing to mask.
      redact: (text) => (this.#loaded ? this.#loaded.redact(text) : text),
    };
  }

  /** Starts loading the core now (after the handshake), so the first tool call finds it ready. */
  warm(): void {
    this.ready().catch(() => undefined);
  }

  ready(): Promise<AssistantCore> {
    this.#loading ??= this.options.loadCore().then(async (core) => {
      this.#loaded = core;
      await this.options.check?.(core);
      return core;
    });
    return this.#loading;
  }

  /** The profiles this assistant may use: allowed by their owners, and within --profile if given. */
  async allowedProfiles(): Promise<ProfileView[]> {
    const all = await this.core.invoke('profiles.list', {});
    return all.filter((p) => p.allowAssistants && (!this.options.profiles || this.options.profiles.includes(p.name)));
  }

  /** The named profile, if the assistant may use it; otherwise a refusal that says how to allow it. */
  async profile(name: string): Promise<ProfileView> {
    const profile = await this.core.invoke('profiles.get', { name }).catch(() => {
      throw new OpsError('not_found', `No profile named "${name}": call profiles_list for the profiles you may use.`);
    });
    if (this.options.profiles && !this.options.profiles.includes(profile.name)) {
      throw new OpsError(
        'refused',
        `Profile "${profile.name}" is not one this server was started for (--profile ${this.options.profiles.join(', ')}): call profiles_list, or ask the operator to add it.`,
      );
    }
    if (!profile.allowAssistants) {
      const production = profile.environment === 'production' ? ' It is a production profile.' : '';
      throw new OpsError(
        'refused',
        `Profile "${profile.name}" does not allow assistants.${production} Its owner can allow it with: opsconsole profiles edit "${profile.name}" --allow-assistants true --allow-downgrade.`,
      );
    }
    return profile;
  }

  /**
   * Runs one tool call: checks consent and the budget when it names a profile, shapes the reply
   * (redacted, within the size limit), and records the call on the incident timeline.
   */
  async call(
    tool: string,
    args: Record<string, unknown>,
    profileName: string | undefined,
    work: (profile?: ProfileView) => Promise<ToolReply>,
  ): Promise<CallToolResult> {
    let profile: ProfileView | undefined;
    let result: CallToolResult;
    let outcome: Outcome = 'ok';
    let rows: number | undefined;
    let error: string | undefined;
    try {
      if (profileName !== undefined) {
        profile = await this.profile(profileName);
        this.budget.takeCall(profile.name);
      }
      const reply = await work(profile);
      rows = reply.rows;
      if (profile && rows) this.budget.takeRows(profile.name, rows);
      if (reply.data.outcome === 'refused') outcome = 'refused';
      result = toCallResult(reply, this.core.redact, this.options.limits.replyBytes);
    } catch (caught) {
      outcome = outcomeOf(caught);
      const message = toErrorPayload(caught, this.core.redact).message;
      // The server's words (a refused connection, a timeout) say which profile they are about.
      error = profile && !message.includes(`"${profile.name}"`) ? `On "${profile.name}": ${message}` : message;
      result = { content: [{ type: 'text', text: error }], isError: true };
    }
    const bytes = Buffer.byteLength(JSON.stringify(result));
    await this.core.invoke('assistants.recordCall', {
      agent: this.options.agent(),
      tool,
      arguments: recordable(args),
      outcome,
      bytes,
      ...(rows !== undefined ? { rows } : {}),
      ...(error ? { error: error.slice(0, 5000) } : {}),
      ...(profile ? { profileId: profile.id } : {}),
      ...(this.options.incidentId ? { incidentId: this.options.incidentId } : {}),
    });
    return result;
  }
}
