import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OpsError } from '../main/errors';
import type { IncidentView } from '../shared/incident';
import { argvArg, profileArg, sqlArg, whyArg } from './inputs';
import type { ToolReply } from './reply';
import { assertLibraryRunbook, runbookPathArg } from './runbook-tools';
import type { AssistantSession } from './session';

const incidentArg = z
  .string()
  .min(1, 'is empty: give an incident id, or leave it out for the current incident')
  .max(64, 'is longer than 64 characters: give an incident id from incident_show');
/** The newest events an incident_show reply carries. */
const shownEvents = 200;

async function currentIncident(session: AssistantSession, id?: string): Promise<IncidentView> {
  const ref = id ?? session.options.incidentId;
  if (ref) return session.core.invoke('incidents.get', { id: ref });
  const active = await session.core.invoke('incidents.active', {});
  if (!active)
    throw new OpsError(
      'not_found',
      'No incident is open: ask the operator to start one (opsconsole incident start), or pass its id.',
    );
  return active;
}

/** The timeline as an assistant may see it: events of profiles that do not allow assistants are left out. */
async function showIncident(session: AssistantSession, id?: string): Promise<ToolReply> {
  const incident = await currentIncident(session, id);
  // Loaded on first use: the event schemas behind it are not needed to answer the handshake.
  const { summarizeEvent } = await import('../shared/incident-summary');
  const allowed = new Set((await session.allowedProfiles()).map((p) => p.id));
  const events = await session.core.invoke('incidents.events', {
    id: incident.id,
    afterSeq: Math.max(0, incident.eventCount - shownEvents),
    limit: shownEvents,
  });
  const visible = events.filter((e) => typeof e.payload.profileId !== 'string' || allowed.has(e.payload.profileId));
  const shown = visible.map((e) => ({
    seq: e.seq,
    at: e.at,
    operator: e.operator,
    kind: e.kind,
    summary: summarizeEvent(e),
    ...(e.kind === 'proposal' ? { proposalId: e.payload.proposalId } : {}),
  }));
  const hidden = events.length - visible.length;
  const data = {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    events: shown,
    ...(hidden ? { hiddenEvents: hidden } : {}),
  };
  const head = `${incident.title} (${incident.severity ?? 'session'}, ${incident.status})${hidden ? ` · ${hidden} event(s) of profiles that do not allow assistants left out` : ''}`;
  return { data, text: [head, ...shown.map((e) => `#${e.seq} ${e.at} ${e.summary}`)].join('\n') };
}

/** runbook_list, runbook_inspect, incident_show, incident_note, propose_change. */
export function registerIncidentTools(server: McpServer, session: AssistantSession): void {
  server.registerTool(
    'runbook_list',
    {
      description: "The runbook library: path, title, service, tags, number of steps and the riskiest step's level.",
      inputSchema: {},
    },
    async () =>
      session.call('runbook_list', {}, undefined, async () => {
        const runbooks = (await session.core.invoke('runbooks.list', {})).map(
          ({ path, title, service, tags, steps, risk }) => ({ path, title, service, tags, steps, risk }),
        );
        return {
          data: { runbooks },
          text: runbooks.map((r) => `${r.title} — ${r.path} (${r.steps} steps, ${r.risk})`).join('\n'),
        };
      }),
  );
  server.registerTool(
    'runbook_inspect',
    {
      description:
        "The steps of one runbook of the library (path from runbook_list): each step's id, section, kind, text, risk and parameters.",
      inputSchema: { path: runbookPathArg },
    },
    async (args) =>
      session.call('runbook_inspect', args, undefined, async () => {
        await assertLibraryRunbook(session, args.path);
        const plan = await session.core.invoke('runbooks.open', { path: args.path });
        const steps = plan.steps.map(({ id, section, kind, target, text, risk, parameters, title }) => ({
          id,
          section,
          kind,
          target,
          text,
          risk,
          parameters,
          ...(title ? { title } : {}),
        }));
        return {
          data: { title: plan.title, path: args.path, parameters: plan.parameters, steps },
          text: [
            plan.title,
            ...steps.map((s) => `[${s.id}] ${s.kind} ${String(s.risk)}: ${s.text.split('\n')[0]}`),
          ].join('\n'),
        };
      }),
  );
  server.registerTool(
    'incident_show',
    {
      description:
        'The current incident (or the one given) and its timeline: what was run, by whom (people and assistants), notes, proposals and their outcome.',
      inputSchema: { incident: incidentArg.optional() },
    },
    async (args) => session.call('incident_show', args, undefined, () => showIncident(session, args.incident)),
  );
  server.registerTool(
    'incident_note',
    {
      description: 'Add a note to the incident timeline (a finding, a hypothesis); it is recorded as written by you.',
      inputSchema: {
        text: z
          .string()
          .trim()
          .min(1, 'is empty: write the note')
          .max(20_000, 'is longer than 20000 characters: keep notes short'),
      },
    },
    async (args) =>
      session.call('incident_note', { text: args.text }, undefined, async () => {
        const incident = await currentIncident(session);
        const event = await session.core.invoke('incidents.note', {
          id: incident.id,
          text: `[${session.options.agent()}] ${args.text}`,
        });
        return {
          data: { incident: incident.id, seq: event.seq },
          text: `Noted as #${event.seq} in ${incident.title}.`,
        };
      }),
  );
  server.registerTool(
    'propose_change',
    {
      description:
        'Propose a change (SQL, or a Redis argv) with the reason. It is classified and recorded on the incident for a person to review, run with break-glass, or dismiss. NOTHING is sent to the server. Read its outcome later with incident_show.',
      inputSchema: { profile: profileArg, sql: sqlArg.optional(), argv: argvArg.optional(), why: whyArg },
    },
    async (args) =>
      session.call('propose_change', args, args.profile, async (profile) => {
        if ((args.sql === undefined) === (args.argv === undefined))
          throw new OpsError('invalid_input', 'Give exactly one of sql (Postgres) or argv (Redis).');
        const proposal = await session.core.invoke('assistants.propose', {
          agent: session.options.agent(),
          profileId: profile!.id,
          why: args.why,
          ...(args.sql !== undefined ? { sql: args.sql } : { argv: args.argv }),
          ...(session.options.incidentId ? { incidentId: session.options.incidentId } : {}),
        });
        const data = {
          proposalId: proposal.proposalId,
          incident: proposal.incidentId,
          seq: proposal.seq,
          risk: proposal.risk,
          reasons: proposal.reasons,
          sent: false,
        };
        return {
          data,
          text: `Proposal ${proposal.proposalId} recorded (#${proposal.seq}, risk ${proposal.risk}); nothing was sent. A person can run it with break-glass or dismiss it.`,
        };
      }),
  );
}
