import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { templateParamSchema, type QueryTemplateView } from '../../shared/template';
import { OpsError } from '../errors';
import type { Db } from '../store/database';

interface TemplateRow {
  id: string;
  name: string;
  description: string;
  sql: string;
  params: string;
  created_at: string;
  updated_at: string;
}

const storedParams = z.array(templateParamSchema);

/** The templates library in SQLite, through named operations only. */
export class TemplateRepository {
  private readonly statements;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      list: db.prepare<[], TemplateRow>('SELECT * FROM query_templates ORDER BY name COLLATE NOCASE'),
      get: db.prepare<[string], TemplateRow>('SELECT * FROM query_templates WHERE id = ?'),
      byName: db.prepare<[string], TemplateRow>('SELECT * FROM query_templates WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare(
        'INSERT INTO query_templates (id, name, description, sql, params, created_at, updated_at) VALUES (@id, @name, @description, @sql, @params, @now, @now)',
      ),
      update: db.prepare(
        'UPDATE query_templates SET name = @name, description = @description, sql = @sql, params = @params, updated_at = @now WHERE id = @id',
      ),
      remove: db.prepare('DELETE FROM query_templates WHERE id = ?'),
    };
  }

  list(): QueryTemplateView[] {
    return this.statements.list.all().map(toView);
  }

  get(id: string): QueryTemplateView {
    const row = this.statements.get.get(id);
    if (!row)
      throw new OpsError(
        'not_found',
        `No template with id ${id}: it may have been removed. Reload the templates list.`,
      );
    return toView(row);
  }

  /** By name (case-insensitive) or id. */
  find(ref: string): QueryTemplateView | undefined {
    const row = this.statements.byName.get(ref.trim()) ?? this.statements.get.get(ref);
    return row ? toView(row) : undefined;
  }

  save(
    template: Omit<QueryTemplateView, 'id' | 'source' | 'createdAt' | 'updatedAt'> & { id?: string },
  ): QueryTemplateView {
    const clash = this.statements.byName.get(template.name);
    if (clash && clash.id !== template.id)
      throw new OpsError(
        'conflict',
        `name "${template.name}" is already used by another template: choose another name.`,
      );
    const row = {
      id: template.id ?? randomUUID(),
      name: template.name,
      description: template.description,
      sql: template.sql,
      params: JSON.stringify(template.params),
      now: this.now().toISOString(),
    };
    if (template.id) {
      if (this.statements.update.run(row).changes === 0)
        throw new OpsError(
          'not_found',
          `No template with id ${template.id}: it may have been removed. Save it as a new one.`,
        );
    } else {
      this.statements.insert.run(row);
    }
    return this.get(row.id);
  }

  remove(id: string): void {
    if (this.statements.remove.run(id).changes === 0)
      throw new OpsError('not_found', `No template with id ${id}: it was already removed.`);
  }
}

function toView(row: TemplateRow): QueryTemplateView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sql: row.sql,
    params: storedParams.parse(JSON.parse(row.params)),
    source: 'library',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
