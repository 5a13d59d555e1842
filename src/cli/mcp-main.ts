import { parseArgs } from 'node:util';
import type { Core } from '../main/core';
import { terminalSafe } from '../shared/terminal-text';
import { mcpCommand, runMcp } from './commands/mcp';
import { parseTrustedFingerprints } from './host-key-prompter';

/**
 * `opsconsole mcp` without the rest of the CLI: an assistant starts this process for every
 * session, so it answers `initialize` before the core (SQLite, the vault, ssh2, pg, the SQL
 * parser) is even imported; the core loads in the background once the handshake is done.
 */
export async function mcpMain(argv: string[]): Promise<number> {
  const log = (message: string) => void process.stderr.write(`${terminalSafe(message)}\n`);
  let values;
  try {
    values = parseArgs({
      args: argv.slice(1),
      options: {
        json: { type: 'boolean' },
        'trust-host-key': { type: 'string', multiple: true },
        ...mcpCommand.options,
      },
      strict: true,
    }).values;
  } catch (error) {
    log(`opsconsole: ${(error as Error).message}\nUsage: opsconsole mcp ${mcpCommand.usage}`);
    return 2;
  }
  let core: Core | undefined;
  try {
    const trusted = parseTrustedFingerprints(values['trust-host-key']);
    await runMcp(values, {
      log,
      loadCore: async () => {
        const { createCliCore } = await import('./cli-core');
        return (core = createCliCore(process.env, trusted, log));
      },
    });
    return 0;
  } catch (error) {
    log(`opsconsole: ${(error as Error).message}`);
    return error instanceof Error && 'code' in error && error.code === 'invalid_input' ? 2 : 1;
  } finally {
    await core?.dispose();
  }
}
