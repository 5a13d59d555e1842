import { useState } from 'react';
import { useApp } from '../../store';
import { copySelection, pasteClipboard, terminalHandles } from './terminal-handles';

const scrollbackChoices = [1000, 5000, 10_000, 50_000];

/** Search, copy, paste, font size and scrollback for the active terminal. */
export function TerminalToolbar({ terminalId }: { terminalId: string }) {
  const prefs = useApp((s) => s.terminalPrefs);
  const { terminalPrefsChanged } = useApp.getState();
  const [query, setQuery] = useState('');
  const find = (backwards: boolean) => {
    const search = terminalHandles.get(terminalId)?.search;
    if (!search || !query) return;
    if (backwards) search.findPrevious(query);
    else search.findNext(query);
  };
  return (
    <div className="terminal-toolbar" role="toolbar" aria-label="Terminal tools">
      <input
        type="search"
        placeholder="Search output"
        aria-label="Search the terminal output"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(e.shiftKey);
          if (e.key === 'Escape') terminalHandles.get(terminalId)?.term.focus();
        }}
        data-testid="terminal-search"
      />
      <button onClick={() => find(true)} aria-label="Previous match">
        ↑
      </button>
      <button onClick={() => find(false)} aria-label="Next match">
        ↓
      </button>
      <span className="terminal-toolbar-gap" />
      <button onClick={() => void copySelection(terminalId)} title="Copy the selection (Ctrl+Shift+C)">
        Copy
      </button>
      <button onClick={() => void pasteClipboard(terminalId)} title="Paste (Ctrl+Shift+V)">
        Paste
      </button>
      {/* The accessible name starts with the visible text (WCAG 2.5.3, label in name). */}
      <button
        onClick={() => terminalPrefsChanged({ fontSize: prefs.fontSize - 1 })}
        aria-label="A− smaller text"
        title="Smaller text"
      >
        A−
      </button>
      <span className="terminal-font-size">
        <span className="visually-hidden">Font size </span>
        {prefs.fontSize}px
      </span>
      <button
        onClick={() => terminalPrefsChanged({ fontSize: prefs.fontSize + 1 })}
        aria-label="A+ larger text"
        title="Larger text"
      >
        A+
      </button>
      <label title="Applies to terminals opened from now on">
        <input type="checkbox" checked={prefs.gpu} onChange={(e) => terminalPrefsChanged({ gpu: e.target.checked })} />
        GPU
      </label>
      <label>
        Scrollback
        <select value={prefs.scrollback} onChange={(e) => terminalPrefsChanged({ scrollback: Number(e.target.value) })}>
          {[...new Set([...scrollbackChoices, prefs.scrollback])]
            .sort((a, b) => a - b)
            .map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString()} lines
              </option>
            ))}
        </select>
      </label>
    </div>
  );
}
