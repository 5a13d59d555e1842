import { useState } from 'react';
import { ExplainView } from './ExplainView';
import { HistoryPanel } from './HistoryPanel';
import { SavedQueriesPanel } from './SavedQueriesPanel';
import { SchemaPanel } from './SchemaPanel';

const tools = [
  { id: 'schema', label: 'Schema' },
  { id: 'history', label: 'History' },
  { id: 'saved', label: 'Saved queries' },
] as const;
type Tool = (typeof tools)[number]['id'];

/** The workbench beside a profile's SQL console: its history, schema and saved queries, one at a time. */
export function SqlWorkbench({ profileId }: { profileId: string }) {
  const [open, setOpen] = useState<Tool | undefined>(undefined);
  return (
    <div className="workbench">
      <ExplainView profileId={profileId} />
      <div className="workbench-tabs" role="tablist" aria-label="Workbench">
        {tools.map((tool) => (
          <button
            key={tool.id}
            type="button"
            role="tab"
            aria-selected={open === tool.id}
            onClick={() => setOpen(open === tool.id ? undefined : tool.id)}
            data-testid={`workbench-${tool.id}`}
          >
            {tool.label}
          </button>
        ))}
      </div>
      {open === 'schema' && <SchemaPanel profileId={profileId} />}
      {open === 'history' && <HistoryPanel profileId={profileId} />}
      {open === 'saved' && <SavedQueriesPanel profileId={profileId} />}
    </div>
  );
}
