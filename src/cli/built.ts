// Entry of the built CLI (dist/cli/opsconsole.js, made by scripts/build-cli.mjs). bin/opsconsole.mjs
// reads the manifest the build wrote and calls start(): --help comes from the manifest alone, and
// only the module of the command being run is loaded, so a light command loads no native module.
import { asksHelp, findCommand, runsLight, type CommandCatalog, type CommandInfo } from './catalog';
import type { CliCommand } from './command';
import { main } from './main';

/** One command as the manifest describes it: its info and where its module exports it. */
export interface ManifestCommand extends CommandInfo {
  module: string;
  exportName: string;
  /** Position inside an exported array of commands (e.g. incidentCommands). */
  index?: number;
}

export interface CliManifest {
  /** Date.now() when built: the bin runs the sources instead when a source file is newer. */
  builtAt: number;
  /** process.versions.modules of the project's Node, the ABI its native modules were built for. */
  nativeAbi: string;
  commands: ManifestCommand[];
}

function manifestCatalog(manifest: CliManifest, distUrl: URL): CommandCatalog {
  return {
    infos: manifest.commands,
    async load(info) {
      const { module, exportName, index } = info as ManifestCommand;
      const exported = (await import(new URL(`./${module}.js`, distUrl).href))[exportName] as CliCommand | CliCommand[];
      return Array.isArray(exported) ? exported[index ?? 0]! : exported;
    },
  };
}

/**
 * Runs one invocation of the built CLI. A command that needs the native modules, started by a Node
 * whose ABI they were not built for, is handed to `reexec` (the project's Node) instead.
 */
export async function start(
  argv: string[],
  manifest: CliManifest,
  distUrl: URL,
  reexec: () => number,
): Promise<number> {
  const found = findCommand(manifest.commands, argv);
  const native = found && !asksHelp(found.rest) && !runsLight(found.command, found.rest);
  if (native && process.versions.modules !== manifest.nativeAbi) return reexec();
  return main(argv, undefined, manifestCatalog(manifest, distUrl));
}
