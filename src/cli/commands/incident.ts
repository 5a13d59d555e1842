import { resolve as resolvePath } from 'node:path';
import {
  exportFormats,
  incidentStatuses,
  severities,
  type ChainVerification,
  type IncidentEvent,
  type IncidentView,
} from '../../shared/incident';
import { readBoundedFile } from '../../main/bounded-file';
import { verifyReport } from '../../main/incidents/report-verify';
import { summarizeEvent } from '../../shared/incident-summary';
import { operations } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { parseFlags } from '../flag-input';
import { defineCommand, type CliCommand, type CliContext, type CliContextOf, type OptionSpec } from '../command';
import { sharedSentence, teamIncidentsBeside } from './team-incidents';

function positional(context: CliContext, index: number, what: string): string {
  const value = context.positionals[index];
  if (!value) throw new OpsError('invalid_input', `${what} is missing: see --help for the usage.`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OpsError(
      'invalid_input',
      `${name} must be one of ${allowed.join(', ')}${value === undefined ? ' (it is missing)' : ` (got "${String(value)}")`}.`,
    );
  }
  return value as T;
}

function describe(i: IncidentView): string {
  const sev = i.severity ?? '--';
  return `${i.id}  ${sev}  ${i.status.padEnd(13)} ${i.active ? '*' : ' '} ${i.title}  (${i.eventCount} events${i.kind === 'session' ? ', unnamed session' : ''})`;
}

function eventLine(e: IncidentEvent): string {
  if (e.deferred)
    return `waiting  ${e.at.slice(0, 19).replace('T', ' ')} UTC  ${e.operator}  ${summarizeEvent(e)}  (in the fallback journal, not yet in the timeline)`;
  return `#${String(e.seq).padStart(4)}${e.shared === false ? '~' : ' '} ${e.at.slice(0, 19).replace('T', ' ')} UTC  ${e.operator}  ${summarizeEvent(e)}`;
}

/** What an incident is started or promoted with. */
const incidentFields = {
  title: { type: 'string', value: 'T' },
  severity: { type: 'string', value: 'P0|P1|P2|P3' },
  profile: {
    type: 'string',
    multiple: true,
    value: 'NAME',
    description: 'a profile the incident concerns (repeat it)',
  },
  commander: { type: 'string', value: 'NAME', description: 'who leads the response' },
} as const satisfies OptionSpec;

/** --title and --commander checked by the contract's own rules, each refusal naming its flag. */
function checkTitle(values: { title?: string; commander?: string }): { title: string } {
  return parseFlags(operations['incidents.start'].input.pick({ title: true, commander: true }), {
    title: ['--title', values.title ?? ''],
    commander: ['--commander', values.commander],
  });
}

const start = defineCommand({
  path: ['incident', 'start'],
  summary: 'Start an incident (it becomes the active one)',
  usage: '--title T --severity P0|P1|P2|P3 [--profile NAME…] [--commander NAME] [--json]',
  options: incidentFields,
  async run({ core, values }) {
    const incident = await core().invoke('incidents.start', {
      title: checkTitle(values).title,
      severity: oneOf(values.severity, severities, '--severity'),
      profiles: values.profile ?? [],
      commander: values.commander,
    });
    return { value: { id: incident.id }, text: incident.id };
  },
});

const list = defineCommand({
  path: ['incident', 'list'],
  readOnly: true,
  summary: 'List incidents and unnamed sessions, newest first (* = active)',
  usage: '[--json]',
  options: {},
  async run(context) {
    const incidents = await context.core().invoke('incidents.list', {});
    // Team mode: the team's shared incidents beside the local ones (those not joined yet are marked).
    const team = await teamIncidentsBeside(context, incidents);
    const lines = [...incidents.map(describe), ...team.text];
    return { value: [...incidents, ...team.value], text: lines.length ? lines.join('\n') : 'No incidents yet.' };
  },
});

/** The chain's state, said on every show: a broken or shortened timeline is never shown as if whole. */
function integritySentence(result: ChainVerification): string {
  if (!result.brokenAt)
    return `timeline integrity: ok, ${result.events} events${result.shared ? `; ${sharedSentence(result.shared)}` : ''}`;
  const missing = result.missingFrom ? ` (events from ${result.missingFrom} on are missing)` : '';
  return `timeline integrity: BROKEN at event ${result.brokenAt!.seq}: ${result.brokenAt!.reason}${missing}`;
}

function pendingSentence(total: number, reasons: string[]): string {
  return `${total} record${total === 1 ? '' : 's'} wait in the fallback journal (${reasons.join('; ')}): they join the timeline as soon as the store accepts writes.`;
}

const show = defineCommand({
  path: ['incident', 'show'],
  readOnly: { unlessFlags: ['sync'] },
  summary: 'Show an incident and its timeline (--sync: fetch what the team shared first)',
  usage: 'ID [--sync] [--json]',
  options: { sync: { type: 'boolean', description: 'fetch what the team shared first' } },
  async run(context) {
    const id = positional(context, 0, 'ID');
    if (context.values.sync === true) await context.core().invoke('team.sync', { incidentId: id });
    const incident = await context.core().invoke('incidents.get', { id });
    const events: IncidentEvent[] = [];
    for (
      let page;
      (page = await context.core().invoke('incidents.events', { id, afterSeq: events.at(-1)?.seq ?? 0, limit: 10_000 }))
        .length;
    )
      events.push(...page);
    const integrity = await context.core().invoke('incidents.verify', { id });
    const pending = await context.core().invoke('incidents.pending', { id });
    const team = await context.core().invoke('team.incidentState', { id });
    const head = [
      describe(incident),
      `commander: ${incident.commander ?? 'not named'}; profiles: ${incident.profiles.map((p) => p.name).join(', ') || 'none'}`,
      integritySentence(integrity),
      ...(team.shared
        ? [
            `shared with the team: last synced ${team.lastSyncedAt ?? 'never'}; ${team.unshared} event(s) not yet shared (marked ~)`,
          ]
        : []),
    ];
    if (pending.total) head.push(pendingSentence(pending.total, pending.reasons));
    const late = new Set(pending.fromJournal);
    const lines = [
      ...events.map((e) => eventLine(e) + (late.has(e.seq) ? '  (recorded late, from the fallback journal)' : '')),
      ...pending.events.map(eventLine),
    ];
    return {
      value: {
        incident,
        events: [...events, ...pending.events],
        integrity,
        pending: { total: pending.total, reasons: pending.reasons, fromJournal: pending.fromJournal },
        ...(team.shared ? { team } : {}),
      },
      text: [...head, '', ...lines].join('\n'),
    };
  },
});

const note = defineCommand({
  path: ['incident', 'note'],
  summary: 'Add a note to an incident timeline (--at: when it happened, if earlier; the recorded time stays too)',
  usage: 'ID TEXT [--at 2026-01-31T03:12:00Z] [--json]',
  options: { at: { type: 'string', value: 'ISO', description: 'when it happened (default: now)' } },
  async run(context) {
    const id = positional(context, 0, 'ID');
    const text = context.positionals.slice(1).join(' ');
    const at = context.values.at;
    const event =
      typeof at === 'string'
        ? await context.core().invoke('incidents.noteAt', { id, text, happenedAt: at })
        : await context.core().invoke('incidents.note', { id, text });
    // Kept in the fallback journal, not yet in the timeline: say so rather than print a sequence number it does not have.
    if (event.deferred) {
      context.log(
        'warning: the incident store could not take the note now (locked, full or damaged): it is kept in the fallback journal and joins the timeline as soon as the store accepts it.',
      );
      return { value: event, text: `deferred (fallback journal) · ${event.operator} · note: ${text}` };
    }
    return { value: event, text: eventLine(event) };
  },
});

const status = defineCommand({
  path: ['incident', 'status'],
  summary: 'Change status: investigating → identified → mitigated → resolved',
  usage: `ID ${incidentStatuses.join('|')} [--json]`,
  options: {},
  async run(context) {
    const id = positional(context, 0, 'ID');
    const incident = await context
      .core()
      .invoke('incidents.status', { id, status: oneOf(context.positionals[1], incidentStatuses, 'STATE') });
    return { value: incident, text: describe(incident) };
  },
});

const promote = defineCommand({
  path: ['incident', 'promote'],
  summary: 'Turn an unnamed session into an incident',
  usage: 'ID --title T --severity P0|P1|P2|P3 [--profile NAME…] [--json]',
  options: incidentFields,
  async run(context) {
    const { values } = context;
    const incident = await context.core().invoke('incidents.promote', {
      id: positional(context, 0, 'ID'),
      title: checkTitle(values).title,
      severity: oneOf(values.severity, severities, '--severity'),
      profiles: values.profile,
      commander: values.commander,
    });
    return { value: incident, text: describe(incident) };
  },
});

const summaryFormats = ['summary', 'summary-text'] as const;
const isSummary = (format: string): format is (typeof summaryFormats)[number] =>
  (summaryFormats as readonly string[]).includes(format);

/** The chat summary: printed (or written with --out); it is built from the starred events already. */
async function summaryExport(context: CliContext, format: (typeof summaryFormats)[number]) {
  if (context.values.out !== undefined || context.values.attachments !== undefined)
    throw new OpsError(
      'invalid_input',
      `--format ${format} prints a short summary to paste into a chat: leave out --out and --attachments (redirect stdout to keep it).`,
    );
  const result = await context.core().invoke('incidents.summary', { id: positional(context, 0, 'ID'), format });
  return { value: result, text: result.text.trimEnd() };
}

const exportCommand = defineCommand({
  path: ['incident', 'export'],
  // Opened for writing, so the export is recorded in the timeline (read-only, the record went to the
  // fallback journal and show blamed the disk); read-only still where the store cannot be written.
  recordsIfWritable: true,
  summary:
    'Export the report (stdout unless --out; PDF needs --out); --starred: only starred events; summary / summary-text: a short chat summary',
  usage:
    'ID --format md|html|pdf|json|summary|summary-text [--starred] [--out PATH] [--overwrite] [--attachments beside|zip|none] [--fold-reads] [--json]',
  options: {
    format: { type: 'string', value: 'md|html|pdf|json|summary|summary-text' },
    out: { type: 'string', value: 'PATH', description: 'write to PATH instead of stdout (a PDF needs it)' },
    overwrite: { type: 'boolean', description: 'replace an existing file' },
    attachments: { type: 'string', value: 'beside|zip|none' },
    'fold-reads': { type: 'boolean', description: 'the same read repeated in a row becomes one line with a count' },
    starred: { type: 'boolean', description: 'only the starred events' },
  },
  async run(context) {
    const { values } = context;
    const format = oneOf(values.format, [...exportFormats, ...summaryFormats], '--format');
    if (isSummary(format)) return summaryExport(context, format);
    if (format === 'pdf' && !values.out)
      throw new OpsError('invalid_input', '--out is missing: a PDF is written to a file (--out report.pdf).');
    const result = await context.core().invoke('incidents.export', {
      id: positional(context, 0, 'ID'),
      format,
      // Relative to where the command was typed; an existing file is replaced only with --overwrite.
      path: typeof values.out === 'string' ? resolvePath(values.out) : undefined,
      overwrite: values.overwrite === true,
      attachments:
        values.attachments === undefined
          ? undefined
          : oneOf(values.attachments, ['beside', 'zip', 'none'] as const, '--attachments'),
      foldReads: values['fold-reads'] === true,
      starred: values.starred === true,
    });
    if (result.notRecorded) context.log(`opsconsole: warning: ${result.notRecorded}`);
    const written = [
      `wrote ${result.path} (${result.bytes} bytes)`,
      ...result.attachments.map((a) => `wrote ${a}`),
    ].join('\n');
    return { value: result, text: result.content ?? written };
  },
});

/** A received JSON export: chain, signature, and the expected key when given. */
async function verifyFile(context: CliContextOf<'key'>, path: string) {
  const key = context.values.key;
  const bytes = await readBoundedFile(path, { what: 'The report', maxBytes: 256 * 1024 * 1024 });
  const result = verifyReport(bytes.toString('utf8'), key);
  const text = result.ok
    ? `ok: ${result.events} events, chain head sha256 ${result.headHash ?? 'none'}, signed by ${result.fingerprint}${key ? ' (the expected key)' : " (pass --key with the sender's fingerprint to check it is theirs)"}`
    : `NOT VALID: ${result.problems.join('; ')}.`;
  if (result.ok) return { value: result, text };
  return { value: { ...result, error: { code: 'report_invalid', message: text } }, text, exitCode: 1 };
}

const verify = defineCommand({
  path: ['incident', 'verify'],
  readOnly: true,
  summary:
    'Check a timeline hash chain (ID), or a received JSON export (--file: every hash, the signature, --key the signer); exit 1 on a mismatch',
  usage: 'ID | --file REPORT.json [--key FINGERPRINT|PUBKEY] [--json]',
  options: {
    file: {
      type: 'string',
      value: 'REPORT.json',
      description: 'verify a received JSON export instead of a stored incident',
    },
    key: { type: 'string', value: 'FINGERPRINT|PUBKEY', description: "the sender's key the signature must be from" },
  },
  async run(context) {
    if (typeof context.values.file === 'string') return verifyFile(context, context.values.file);
    if (context.values.key !== undefined)
      throw new OpsError('invalid_input', '--key goes with --file: it checks who signed a received JSON export.');
    const result = await context.core().invoke('incidents.verify', { id: positional(context, 0, 'ID') });
    const local = result.brokenAt
      ? `BROKEN at event ${result.brokenAt.seq}: ${result.brokenAt.reason}. The timeline was changed outside Ops Console${result.missingFrom ? ' or lost events it had acknowledged' : ''}.`
      : `ok: ${result.events} events, chain head sha256 ${result.headHash ?? 'none'}`;
    const text = result.shared ? `${local}\n${sharedSentence(result.shared)}` : local;
    if (result.ok) return { value: result, text };
    // DESIGN.md's failure shape, with the details of where the chain breaks beside it.
    return { value: { ...result, error: { code: 'chain_broken', message: text } }, text, exitCode: 1 };
  },
});

/** `opsconsole incident …` */
export const incidentCommands: CliCommand[] = [start, list, show, note, status, promote, exportCommand, verify];
