import type { IncidentEvent, RunbookStepPin } from './incident';
import { ageText, shortCommit } from './runbook-pin';

type P = Record<string, unknown>;

/** Where a step's text came from: "from runbooks @ 0a1b2c3d4e5f (main, db.md, pulled 3 h before it ran; …)". */
function pinned(pin: RunbookStepPin | undefined, at: string | undefined): string {
  if (!pin) return '';
  const where = pin.branch ? `${pin.branch}, ${pin.path}` : pin.path;
  const pulled = pin.syncedAt
    ? `, pulled ${at ? `${ageText(Date.parse(at) - Date.parse(pin.syncedAt))} before it ran` : pin.syncedAt}`
    : '';
  return ` · from ${pin.source} @ ${shortCommit(pin.commit)} (${where}${pulled}; step sha256 ${pin.stepSha256.slice(0, 12)})`;
}

/** One line per event, in words a reader of the report understands without the payload. */
export function summarizeEvent(event: Pick<IncidentEvent, 'kind' | 'payload'> & { at?: string }): string {
  const p = event.payload as P;
  const on = (p.profileName ?? p.profileId) ? ` on ${String(p.profileName ?? p.profileId)}` : '';
  switch (event.kind) {
    case 'incident.opened':
      return p.kind === 'session'
        ? `Session opened (${String(p.title)})`
        : `Incident opened: ${String(p.title)} (${String(p.severity)})`;
    case 'incident.promoted':
      return `Promoted to incident: ${String(p.title)} (${String(p.severity)})`;
    case 'incident.updated':
      return `Incident updated: ${Object.entries((p.changes ?? {}) as P)
        .map(([k, v]) => `${k} → ${display(v)}`)
        .join(', ')}`;
    case 'report.edited':
      return `Report edited: ${(p.fields as string[]).join(', ')}`;
    case 'status.changed':
      return `Status: ${String(p.from)} → ${String(p.to)}`;
    case 'note':
      return p.happenedAt ? `Note (happened at ${String(p.happenedAt)}): ${String(p.text)}` : `Note: ${String(p.text)}`;
    case 'runbook.step': {
      const params = (p.parameters as { name: string; value: unknown; origin?: string }[])
        .map((x) => `${x.name}=${display(x.value)}${x.origin ? ` (${x.origin})` : ''}`)
        .join(', ');
      const exit = typeof p.exitStatus === 'number' ? `, exit status ${p.exitStatus}` : '';
      return `Runbook step "${String(p.step)}" (${String(p.runbook)})${on}: ${String(p.outcome)}${exit}${timing(p)}${params ? ` — ${params}` : ''}${pinned(p.pin as RunbookStepPin | undefined, event.at)}`;
    }
    case 'event.starred':
      return `Starred event ${String(p.seq)}${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'event.unstarred':
      return `Unstarred event ${String(p.seq)}`;
    case 'event.hidden':
      return `Hid event ${String(p.seq)} from the curated views${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'event.unhidden':
      return `Showed event ${String(p.seq)} again`;
    case 'incident.tagged': {
      const added = (p.added ?? []) as string[];
      const removed = (p.removed ?? []) as string[];
      return `Tags: ${[...added.map((t) => `+${t}`), ...removed.map((t) => `-${t}`)].join(' ')}`;
    }
    case 'health.finding':
      return `Health finding${on}: ${String(p.check)} ${String(p.status)} — ${String(p.message)}`;
    case 'sql.run':
      return `SQL${on} [${String(p.risk)}]: ${String(p.outcome)}${rows(p)}${timing(p)}${p.error ? ` (${String(p.error)})` : ''} — ${clip(String(p.sql))}`;
    case 'sql.export': {
      const where = `${String(p.format) === 'jsonl' ? 'JSON Lines' : 'CSV'} to ${String(p.path)}${p.keptPartial ? '.partial (partial file kept)' : ''}`;
      return `Export${on} [${String(p.risk)}]: ${String(p.outcome)}, ${String(p.rows)} row(s), ${formatBytes(Number(p.bytes))} as ${where}${timing(p)}${p.error ? ` (${String(p.error)})` : ''} — ${clip(String(p.sql))}`;
    }
    case 'redis.run':
      return `Redis${on} [${String(p.risk)}]: ${String(p.outcome)}${timing(p)}${p.error ? ` (${String(p.error)})` : ''} — ${clip((p.command as string[]).join(' '))}`;
    case 'preview':
      return `Preview${on} [${String(p.risk)}]${p.affectedRows === null ? '' : `: ${String(p.affectedRows)} row(s) would change`} — ${clip(String(p.text))}`;
    case 'confirmation':
      return `Confirmed${on} [${String(p.risk)}]${p.method === 'typed-name' ? ' by typing the profile name' : ''} — ${clip(String(p.action))}`;
    case 'refusal':
      return `Refused${on}: ${String(p.reason)} — ${clip(String(p.action))}`;
    case 'cancel':
      return `Cancelled${on}${p.reason ? `: ${String(p.reason)}` : ''} — ${clip(String(p.action))}`;
    case 'terminal.recording':
      return `Terminal recording "${String(p.terminal)}"${on} (${formatDuration(Number(p.durationMs))}), attachment ${String(p.attachmentId)}`;
    case 'checklist.tick':
      return `Checklist (${String(p.runbook)}): [${p.checked ? 'x' : ' '}] ${String(p.item)}`;
    case 'connection.state':
      return `Connection${on}: ${String(p.state)}${p.reason ? ` (${String(p.reason)})` : ''}`;
    case 'attachment':
      return `Attached ${String(p.name)} (${String(p.mediaType)}, ${formatBytes(Number(p.bytes))})${p.description ? `: ${String(p.description)}` : ''}`;
    case 'export':
      return `Report exported as ${String(p.format).toUpperCase()}${p.path ? ` to ${String(p.path)}` : ''}`;
    case 'chain.segment':
      return `New timeline segment: the chain is broken at event ${String(p.brokenAt)} (${String(p.reason)}); last verified event ${p.lastVerifiedSeq === null ? 'none' : `${String(p.lastVerifiedSeq)}, sha256 ${String(p.lastVerifiedHash)}`}`;
    case 'rehearsal': {
      const locks = (p.locks ?? []) as string[];
      return `Rehearsal in the sandbox${on} (${String(p.mode)} rows; nothing ran on the server): ${String(p.statements)} statement(s), ${String(p.failed)} failed, ${String(p.rowsAffected)} row(s) affected${locks.length ? `, locks ${locks.join(', ')}` : ''} — ${clip(String(p.sql))}`;
    }
    case 'health.run': {
      const checks = (p.checks ?? []) as { id: string; status: string }[];
      const count = (status: string) => checks.filter((c) => c.status === status).length;
      const bad = checks
        .filter((c) => c.status === 'critical' || c.status === 'warn')
        .map((c) => `${c.id} ${c.status}`);
      return `Health checks${on}: ${count('ok')} ok, ${count('warn')} warn, ${count('critical')} critical, ${count('error')} error${bad.length ? ` (${bad.join(', ')})` : ''}${timing(p)}`;
    }
    case 'assistant.call': {
      const agent = (p.author as { agent?: string } | undefined)?.agent ?? 'assistant';
      return `Assistant ${agent} called ${String(p.tool)}${on}: ${String(p.outcome)}, ${formatBytes(Number(p.bytes))} returned${p.error ? ` (${String(p.error)})` : ''}`;
    }
    case 'proposal': {
      const agent = (p.author as { agent?: string } | undefined)?.agent ?? 'assistant';
      return `Proposal by ${agent}${on} [${String(p.risk)}], not run: ${clip(String(p.text))} — why: ${String(p.why)}`;
    }
    case 'proposal.dismissed':
      return `Dismissed proposal ${String(p.proposalId)} by ${String(p.agent)}${on}, not run${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'proposal.run':
      return `Break-glass run of proposal ${String(p.proposalId)} by ${String(p.agent)}${on} [${String(p.risk)}], started by a person: its confirmation and outcome follow — ${clip(String(p.text))}`;
    case 'shell.exec': {
      const ended =
        p.exitStatus === null
          ? p.signal
            ? `killed by ${String(p.signal)}`
            : String(p.outcome)
          : `exit ${String(p.exitStatus)}`;
      return `Shell${on} [${String(p.risk)}]: ${ended}${timing(p)} — ${clip(String(p.command))}${p.output ? `\n${clip(String(p.output), 1000)}` : ''}`;
    }
  }
}

function timing(p: P): string {
  return typeof p.durationMs === 'number' ? `, ${formatDuration(p.durationMs)}` : '';
}

function rows(p: P): string {
  const parts: string[] = [];
  if (typeof p.rowCount === 'number') parts.push(`${p.rowCount} row(s)${p.truncated ? ' (truncated)' : ''}`);
  if (typeof p.rowsAffected === 'number') parts.push(`${p.rowsAffected} affected`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "2h 05m", "4m 07s", "12s", "850 ms". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) return `${d}d ${h}h ${String(m).padStart(2, '0')}m`;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
