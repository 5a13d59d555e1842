import type { EventListener } from '../lifecycle/events';
import { TerminalRegistry, type TerminalRegistryDeps } from './terminal-registry';

interface TerminalsDeps extends Omit<TerminalRegistryDeps, 'events' | 'redact' | 'rememberSecrets'> {
  emit: EventListener;
  /** The one redactor: masks recorded text, and learns the secret values sent to a shell. */
  redactor: { text(text: string): string; remember(values: string[]): void };
}

/** The terminal registry, its output and state sent as the contract's terminal events. */
export function createTerminals({ emit, redactor, ...deps }: TerminalsDeps): TerminalRegistry {
  return new TerminalRegistry({
    ...deps,
    events: {
      onTerminalData: (terminalId, data, at) => emit('onTerminalData', { terminalId, data, at }),
      onTerminalExit: (terminalId, exit) => emit('onTerminalExit', { terminalId, ...exit }),
      onTerminalState: (info) => emit('onTerminalState', info),
    },
    redact: redactor.text,
    rememberSecrets: (values) => redactor.remember(values),
  });
}
