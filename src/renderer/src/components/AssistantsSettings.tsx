import { useState } from 'react';
import { useApp } from '../store';

/** The mcpServers entry most assistants take (Claude Desktop, Cursor …); `npx` from the console's folder. */
export const assistantSnippet = JSON.stringify(
  { mcpServers: { opsconsole: { command: 'npx', args: ['opsconsole', 'mcp'] } } },
  null,
  2,
);

/** Settings → Assistants: the configuration to copy, and which profiles an assistant may read. */
export function AssistantsSettings() {
  const profiles = useApp((s) => s.profiles);
  const [copied, setCopied] = useState(false);
  const allowed = profiles.filter((p) => p.allowAssistants);
  const copy = async () => {
    await navigator.clipboard.writeText(assistantSnippet);
    setCopied(true);
  };
  return (
    <section aria-labelledby="assistants-title">
      <h3 id="assistants-title">Assistants</h3>
      <p className="hint">
        AI assistants (Claude, Cursor, Copilot …) investigate through <code>opsconsole mcp</code>: reads run through the
        console&apos;s guardrails, changes only become proposals you run or dismiss here, and every call is recorded on
        the incident. Add this to the assistant&apos;s MCP configuration (run from the console&apos;s folder, or give
        the full path to <code>bin/opsconsole.mjs</code> with <code>node</code>):
      </p>
      <pre data-testid="assistants-snippet">{assistantSnippet}</pre>
      <button type="button" onClick={() => void copy()} data-testid="assistants-copy">
        {copied ? 'Copied' : 'Copy'}
      </button>
      {allowed.length === 0 ? (
        <p className="empty" data-testid="assistants-none">
          No profile allows assistants yet: tick &quot;Allow AI assistants&quot; in a profile&apos;s editor.
        </p>
      ) : (
        <ul data-testid="assistants-profiles">
          {allowed.map((p) => (
            <li key={p.id} className={p.environment === 'production' ? 'reason-dangerous' : undefined}>
              {p.name} ({p.environment})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
