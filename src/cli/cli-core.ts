import { createCore, type Core } from '../main/core';
import { resolveDataDir } from '../main/data-dir';
import { storeFaultOf } from '../main/store/store-faults';
import { cliHostKeyPrompter } from './host-key-prompter';
import { packageVersion } from './package-version';

/**
 * The core as every CLI command gets it: the shared data folder, export paths accepted (--out),
 * unknown host keys refused unless --trust-host-key named them, and the data-folder entries that
 * could not be made private said on stderr; opened read-only for commands that only read, and for
 * a recording command that may (incident export) when the store cannot be written.
 */
export function createCliCore(
  env: NodeJS.ProcessEnv,
  trustedKeys: string[],
  warn: (message: string) => void,
  options: { readOnlyStore?: boolean; readOnlyIfUnwritable?: boolean; queriesDir?: string } = {},
): Core {
  const open = (readOnlyStore: boolean | undefined) =>
    createCore({
      dataDir: resolveDataDir(env),
      version: packageVersion(),
      acceptExportPaths: true,
      readOnlyStore,
      queriesDir: options.queriesDir,
      hostKeyPrompter: cliHostKeyPrompter(trustedKeys, warn),
    });
  let core: Core;
  try {
    core = open(options.readOnlyStore);
  } catch (error) {
    // A store that cannot be opened for writing (a read-only mount, a 0400 file) is still read.
    if (options.readOnlyStore || !options.readOnlyIfUnwritable || storeFaultOf(error) !== 'io') throw error;
    core = open(true);
  }
  for (const warning of core.fileWarnings) warn(`opsconsole: ${warning}`);
  return core;
}
