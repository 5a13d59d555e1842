import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Shape } from './shape';

/** The last shape read for a profile, kept beside its sandbox with the time it was taken. */
export class ShapeCache {
  constructor(private readonly path: string) {}

  read(): Shape | undefined {
    if (!existsSync(this.path)) return undefined;
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Shape;
    } catch {
      return undefined;
    }
  }

  write(shape: Shape): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, JSON.stringify(shape), { mode: 0o600 });
  }
}

/** Whether a cached shape holds every relation the statements name (unqualified names match any schema). */
export function shapeCovers(shape: Shape, relations: [string | undefined, string][]): boolean {
  return relations.every(([schema, name]) =>
    shape.tables.some((t) => t.name === name && (!schema || t.schema === schema)),
  );
}

/** "12 minutes" for a notice about a stale shape. */
export function age(from: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(from).getTime()) / 60_000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}
