import { z } from 'zod';
import { parseControlBytes } from '../control-bytes';
import { event, operation } from './define';
import { profileIdSchema } from './profiles';
import {
  isOpenableLink,
  type CastInfo,
  type CommandFlag,
  type TerminalDataEvent,
  type TerminalExitEvent,
  type TerminalInfo,
} from '../terminal';

const terminalId = z.string().min(1, 'is empty: name a terminal by its id').max(64);
const castId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'is not a recording id: list them with terminals.recordings');
const cols = z.number().int().min(2, 'must be at least 2').max(1000, 'must be at most 1000');
const rows = z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000');
const sendStep = z
  .object({
    id: z.string().min(1).max(200),
    title: z.string().max(500).optional(),
    /** The fence's controlBytes attribute as written: ESC, CR, ^C, 0x1b… (tab and newline need none). */
    controlBytes: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const parsed = parseControlBytes(step.controlBytes);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', path: ['controlBytes'], message: parsed.error });
  });

const parameter = z
  .object({
    name: z.string().min(1).max(200),
    value: z.string().max(100_000),
    /** Masked in the recording, in input and in its echo. */
    secret: z.boolean().default(false),
    /** The other forms the runbook wrote it in ([X], REPLACE_ME, your_host, ${X:-100}): filled like {{name}}. */
    placeholders: z.array(z.string().min(1).max(200)).max(50).optional(),
  })
  .strict();

export interface SendResult {
  /** What was written to the shell, with secret values masked. */
  sent: string;
  ran: boolean;
  flag: CommandFlag;
}

export const terminalsOperations = {
  /**
   * Open a shell: `remote` on the profile's SSH session (connecting it if needed; pty with
   * TERM=xterm-256color), or `local` on this computer through node-pty. Output arrives as
   * onTerminalData and must be acknowledged with terminals.ack.
   */
  'terminals.open': operation<TerminalInfo>()(
    z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('remote'),
          profileId: profileIdSchema,
          cols,
          rows,
          title: z.string().max(300).optional(),
        })
        .strict(),
      z.object({ kind: z.literal('local'), cols, rows, title: z.string().max(300).optional() }).strict(),
    ]),
    'Open a terminal',
  ),
  /** Keystrokes and pastes from the operator, written to the shell as they are (recorded as input). */
  'terminals.write': operation<{ written: number }>()(
    z
      .object({ terminalId, data: z.string().min(1).max(1_000_000, 'is longer than 1 MB: paste less at once') })
      .strict(),
    'Type into a terminal',
  ),
  /** The pane changed size: the pty follows (the remote side sees it in `stty size`). */
  'terminals.resize': operation<{ resized: true }>()(
    z.object({ terminalId, cols, rows }).strict(),
    'Resize a terminal',
  ),
  /** The renderer wrote `chars` characters of output into xterm: the core may send more. */
  'terminals.ack': operation<{ unacked: number }>()(
    z.object({ terminalId, chars: z.number().int().min(1).max(1_000_000_000) }).strict(),
    'Acknowledge output',
  ),
  /** End the shell and the recording; the tab may be closed. */
  'terminals.close': operation<{ closed: true }>()(z.object({ terminalId }).strict(), 'Close a terminal'),
  /** After the SSH session came back: a new shell in the same tab (a new recording). */
  'terminals.reopen': operation<TerminalInfo>()(
    z.object({ terminalId, cols: cols.optional(), rows: rows.optional() }).strict(),
    'Reopen a terminal',
  ),
  'terminals.list': operation<TerminalInfo[]>()(z.object({}).strict(), 'List terminals'),
  /**
   * A window that (re)loaded shows a terminal that kept running in the core: its info and its
   * last output (up to 256 k characters, from a line start) to draw the screen again. The flow
   * control starts afresh (output sent to the window that is gone is never acknowledged), so a
   * shell paused for it resumes. `through` is the output sent up to the end of `screen`: events
   * may overtake this answer, and those whose `at` is below it are already on the screen.
   */
  'terminals.attach': operation<{ info: TerminalInfo; screen: string; through: number }>()(
    z.object({ terminalId }).strict(),
    'Show a running terminal again',
  ),
  /**
   * Whether a text asks first before it is sent (rm -rf, DROP, FLUSHALL…, and any command the
   * runbook judge does not call a read): the UI asks first. With `terminalId` and `parameters`, the
   * text is judged filled, as `terminals.send` would send it.
   */
  'terminals.classify': operation<CommandFlag>()(
    z
      .object({
        text: z.string().max(100_000),
        terminalId: terminalId.optional(),
        parameters: z.array(parameter).max(200).optional(),
      })
      .strict(),
    'Flag a command',
  ),
  /**
   * Paste a command with its parameters filled ({{name}}, <name>, ${name}, $name, and each form a
   * parameter lists in `placeholders`, as a headless run fills them): nothing runs
   * unless `run` is true (then Enter is pressed). A dangerous command is refused unless
   * `confirmed` is true. Secret values never reach the recording.
   */
  'terminals.send': operation<SendResult>()(
    z
      .object({
        terminalId,
        command: z.string().trim().min(1, 'is empty: nothing to send').max(100_000),
        parameters: z.array(parameter).max(200).default([]),
        run: z.boolean().default(false),
        confirmed: z.boolean().default(false),
        /** The runbook step it comes from: named in refusals; its fence may declare control bytes to allow. */
        step: sendStep.optional(),
      })
      .strict(),
    'Send a command to a terminal',
  ),
  /** Recordings (asciicast v2), newest first; of one profile when given. */
  'terminals.recordings': operation<CastInfo[]>()(
    z.object({ profileId: profileIdSchema.optional() }).strict(),
    'List recordings',
  ),
  /**
   * One recording's asciicast v2 text, for the player: by cast id, or by the attachment id a
   * `terminal.recording` incident event names.
   */
  'terminals.recording': operation<{ info: CastInfo; cast: string }>()(
    z
      .object({ castId: castId.optional(), attachmentId: z.string().min(1).max(64).optional() })
      .strict()
      .refine(
        (input) => (input.castId === undefined) !== (input.attachmentId === undefined),
        'must name exactly one of castId and attachmentId',
      ),
    'Read a recording',
  ),
  /** Open an https link from a terminal in the system browser (the UI confirmed first). */
  'terminals.openLink': operation<{ opened: true }>()(
    z.object({ url: z.string().refine(isOpenableLink, 'must be an https:// link without user or password') }).strict(),
    'Open a link in the browser',
  ),
};

export const terminalsEvents = {
  /** Output, batched (about every 10 ms or 64 K characters); acknowledge with terminals.ack. */
  onTerminalData: event<TerminalDataEvent>('A terminal printed output'),
  onTerminalExit: event<TerminalExitEvent>('A terminal shell ended'),
  /** lost when the SSH session dropped, reopenable once it is back, exited when the shell ended. */
  onTerminalState: event<TerminalInfo>('A terminal changed state'),
};
