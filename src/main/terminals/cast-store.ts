import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CastInfo } from '../../shared/terminal';
import { OpsError } from '../errors';

/**
 * Recordings on disk, under the data folder's casts/: `<castId>.cast` (asciicast v2) with a
 * `<castId>.json` beside it describing it. Until the incident recorder takes casts as
 * attachments, this is where they live.
 */
export class CastStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'casts');
  }

  pathOf(castId: string): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return join(this.dir, `${castId}.cast`);
  }

  describe(info: CastInfo): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.dir, `${info.castId}.json`), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  }

  list(): CastInfo[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const infos: CastInfo[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        infos.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as CastInfo);
      } catch {
        // a description cut short by a crash: the cast itself is still there
      }
    }
    return infos.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  read(ref: { castId?: string; attachmentId?: string }): { info: CastInfo; cast: string } {
    const info = this.list().find((c) =>
      ref.castId !== undefined ? c.castId === ref.castId : c.attachmentId === ref.attachmentId,
    );
    if (!info)
      throw new OpsError(
        'not_found',
        `No recording ${ref.castId ?? `attached as ${ref.attachmentId}`}: list them with terminals.recordings.`,
      );
    return { info, cast: readFileSync(this.pathOf(info.castId), 'utf8') };
  }
}
