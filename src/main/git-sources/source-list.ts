import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OpsError } from '../errors';

const errorSchema = z.object({ code: z.string(), message: z.string(), at: z.string() }).strict();

export const storedSourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    url: z.string().min(1),
    branch: z.string().min(1),
    path: z.string().nullable(),
    addedAt: z.string(),
    lastSyncAt: z.string().nullable(),
    commit: z.string().nullable(),
    lastError: errorSchema.nullable(),
  })
  .strict();
export type StoredSource = z.infer<typeof storedSourceSchema>;

/**
 * The list of sources, one JSON file beside the clones (0600, replaced atomically): the clones
 * are files anyway, and a store migration for a short list would tie this room to the schema.
 */
export class SourceList {
  private readonly file: string;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    this.file = join(root, 'sources.json');
  }

  all(): StoredSource[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const parsed = z.array(storedSourceSchema).safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new OpsError(
        'internal',
        `${this.file} is not a valid list of runbook sources (${parsed.error.issues[0]?.message}): remove the file and add the sources again.`,
      );
    return parsed.data;
  }

  find(ref: string): StoredSource {
    const found = this.all().find((s) => s.name === ref || s.id === ref || s.url === ref);
    if (!found)
      throw new OpsError(
        'not_found',
        `No runbook source named ${ref}: list them with "opsconsole runbook source list".`,
      );
    return found;
  }

  save(sources: StoredSource[]): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(sources, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  put(source: StoredSource): void {
    const others = this.all().filter((s) => s.id !== source.id);
    this.save([...others, source]);
  }

  clone(source: Pick<StoredSource, 'id'>): string {
    return join(this.root, source.id);
  }
}
