import { useMemo, useState } from 'react';
import { matches, paletteCommands } from '../commands';
import { useApp } from '../store';
import { Modal } from './Modal';
import { focusOnMount } from '../focus-on-mount';

export function CommandPalette() {
  const open = useApp((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

function PaletteDialog() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const state = useApp();
  const found = useMemo(() => paletteCommands(state).filter((c) => matches(c, query)), [state, query]);
  const close = () => state.paletteToggled(false);
  const run = (index: number) => {
    const command = found[index];
    if (!command) return;
    close();
    command.run(useApp.getState());
  };
  return (
    <Modal className="palette" label="Command palette" testId="command-palette" onBackdropClick={close}>
      <input
        ref={focusOnMount}
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={found[active] ? `palette-${found[active]!.id}` : undefined}
        aria-label="Type a command or a profile name"
        placeholder="Type a command or a profile name…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(found.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter') run(active);
          else if (e.key === 'Escape') close();
          else return;
          e.preventDefault();
        }}
        data-testid="palette-input"
      />
      <ul id="palette-list" role="listbox" aria-label="Commands">
        {found.map((command, i) => (
          <li
            key={command.id}
            id={`palette-${command.id}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseEnter={() => setActive(i)}
            onClick={() => run(i)}
          >
            <span className="palette-group">{command.group}</span>
            <span className="palette-title">{command.title}</span>
            {command.shortcut && <kbd>{command.shortcut}</kbd>}
          </li>
        ))}
        {found.length === 0 && <li className="empty">Nothing matches “{query}”.</li>}
      </ul>
    </Modal>
  );
}
