import { createCore, type Core } from '../main/core';
import { resolveDataDir } from '../main/data-dir';
import { cliHostKeyPrompter } from './host-key-prompter';
import { packageVersion } from './package-version';

/**
 * The core as every CLI command gets it: the shared data folder, export paths accepted (--out),
 * unknown host keys refused unless --trust-host-key named them, and the data-folder entries that
 * could not be made private said on stderr; opened read-only for commands that only read.
 */
export function createCliCore(
  env: NodeJS.ProcessEnv,
  trustedKeys: string[],
  warn: (message: string) => void,
  options: { readOnlyStore?: boolean; queriesDir?: string } = {},
): Core {
  const core = createCore({
    dataDir: resolveDataDir(env),
    version: packageVersion(),
    acceptExportPaths: true,
    readOnlyStore: options.readOnlyStore,
    queriesDir: options.queriesDir,
    hostKeyPrompter: cliHostKeyPrompter(trustedKeys, warn),
  });
  for (const warning of core.fileWarnings) warn(`opsconsole: ${warning}`);
  return core;
}
