import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreDeps } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';

export interface TempCore {
  core: Core;
  dataDir: string;
  dispose(): Promise<void>;
}

/**
 * A core over its own temp data folder, key-file vault and no known_hosts of the developer's.
 * The test drives it directly, as the CLI does, so export paths are accepted (windows get none).
 */
export function tempCore(overrides: Partial<CoreDeps> = {}): TempCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsconsole-core-'));
  const core = createCore({
    dataDir,
    keySource: fileKeySource(dataDir),
    knownHostsFiles: [],
    operator: 'tester',
    acceptExportPaths: true,
    ...overrides,
  });
  return {
    core,
    dataDir,
    async dispose() {
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
