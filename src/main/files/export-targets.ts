import { existsSync, mkdirSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import type { SavePathChoice } from '../../shared/contract';
import type { ParsedInputOf } from '../../shared/contract';
import { OpsError } from '../errors';
import { SaveTokens, type SaveTarget } from './save-tokens';

export type SavePathRequest = ParsedInputOf<'app.chooseSavePath'>;

export interface ExportTargetsDeps {
  dataDir: string;
  /** The system's save dialog (desktop app); without it files go to the data folder's exports/. */
  chooseSavePath?: (request: SavePathRequest) => Promise<string | null>;
  /** Only the CLI, whose operator typed --out: a path given with the request is written to. */
  acceptPaths: boolean;
}

/** What an export request may carry to say where it writes. */
export interface TargetRequest {
  path?: string;
  saveToken?: string;
  overwrite?: boolean;
}

/**
 * Decides where exports are written. A window never names a path: it asks `app.chooseSavePath`
 * (the main process's dialog, or a fresh name under <data>/exports/) and passes the save token
 * it got back. A plain path is taken only from the CLI.
 */
export class ExportTargets {
  readonly #tokens = new SaveTokens();

  constructor(private readonly deps: ExportTargetsDeps) {}

  get exportsDir(): string {
    return join(this.deps.dataDir, 'exports');
  }

  async choose(request: SavePathRequest): Promise<SavePathChoice> {
    if (!this.deps.chooseSavePath) {
      const path = this.freshExportPath(request.defaultName);
      return { path, saveToken: this.#tokens.issue({ path, overwrite: false }) };
    }
    const path = await this.deps.chooseSavePath(request);
    if (path === null) return { path: null };
    if (!isAbsolute(path))
      throw new OpsError('internal', `The save dialog returned "${path}", which is not an absolute path.`);
    // The system dialog asked before replacing a file: the operator agreed to overwrite it.
    return { path, saveToken: this.#tokens.issue({ path, overwrite: true }) };
  }

  /** The target of an export request; undefined when it names none (the content is returned instead). */
  resolve(request: TargetRequest): SaveTarget | undefined {
    if (request.saveToken !== undefined && request.path !== undefined)
      throw new OpsError(
        'invalid_input',
        'give either saveToken (from app.chooseSavePath) or path (CLI --out), not both.',
      );
    if (request.saveToken !== undefined) return this.#tokens.redeem(request.saveToken);
    if (request.path === undefined) return undefined;
    if (!this.deps.acceptPaths) {
      throw new OpsError(
        'refused',
        `path "${request.path}" was named by the window, which may not choose where files are written: choose the file with the save dialog (app.chooseSavePath) and pass its saveToken.`,
      );
    }
    return { path: request.path, overwrite: request.overwrite ?? false };
  }

  /** `name` in <data>/exports/, numbered (-2, -3, …) when taken: the browser host never replaces a file. */
  private freshExportPath(name: string): string {
    if (name === '.' || name === '..' || name.includes('\0'))
      throw new OpsError('invalid_input', `defaultName "${name}" is not a file name: give one like result.csv.`);
    mkdirSync(this.exportsDir, { recursive: true, mode: 0o700 });
    const extension = extname(name);
    const stem = name.slice(0, name.length - extension.length);
    for (let n = 1; ; n++) {
      const path = join(this.exportsDir, n === 1 ? name : `${stem}-${n}${extension}`);
      if (!existsSync(path) && !existsSync(`${path}.partial`)) return path;
    }
  }
}
