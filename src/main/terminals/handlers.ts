import type { Handlers } from '../../shared/contract';
import type { TerminalRegistry } from './terminal-registry';

/** terminals.*: embedded terminals (SSH shells, local shells), their flow control and recordings. */
export function terminalHandlers(
  terminals: TerminalRegistry,
): Pick<Handlers, Extract<keyof Handlers, `terminals.${string}`>> {
  return {
    'terminals.open': async (input) => terminals.open(input),
    'terminals.write': async ({ terminalId, data }) => ({ written: terminals.write(terminalId, data) }),
    'terminals.resize': async ({ terminalId, cols, rows }) => (
      terminals.resize(terminalId, cols, rows),
      { resized: true as const }
    ),
    'terminals.ack': async ({ terminalId, chars }) => ({ unacked: terminals.ack(terminalId, chars) }),
    'terminals.close': async ({ terminalId }) => (await terminals.close(terminalId), { closed: true as const }),
    'terminals.reopen': async ({ terminalId, cols, rows }) => terminals.reopen(terminalId, { cols, rows }),
    'terminals.list': async () => terminals.list(),
    'terminals.attach': async ({ terminalId }) => terminals.takeOver(terminalId),
    'terminals.classify': async (input) => terminals.classify(input),
    'terminals.send': async ({ terminalId, ...input }) => terminals.send(terminalId, input),
    'terminals.recordings': async ({ profileId }) => terminals.recordings(profileId),
    'terminals.recording': async (ref) => terminals.casts.read(ref),
    'terminals.openLink': async ({ url }) => (await terminals.openLink(url), { opened: true as const }),
  };
}
