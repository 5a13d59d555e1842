import { readFile } from 'node:fs/promises';
import { OpsError } from '../../main/errors';
import { defineCommand } from '../command';

const templatesListCommand = defineCommand({
  path: ['templates', 'list'],
  readOnly: true,
  summary:
    'List the query templates library and the saved query files (name, parameters and their types; a file with a bad header with its error)',
  usage: '[--json]',
  options: {},
  async run(context) {
    const templates = await context.core().invoke('templates.list', {});
    const line = (t: (typeof templates)[number]) => {
      const signature = `${t.name}(${t.params.map((p) => `${p.name}: ${p.list ? `${p.type}[]` : p.type}${p.secret ? ' secret' : ''}`).join(', ')})${t.description ? ` — ${t.description}` : ''}`;
      return t.source === 'file' ? `${signature} [file ${t.path}]${t.error ? `\n  ERROR ${t.error}` : ''}` : signature;
    };
    const text =
      templates.length === 0
        ? 'No templates yet: add one with opsconsole templates save --file T.json, or put .sql files in the queries folder'
        : templates.map(line).join('\n');
    return { value: templates, text };
  },
});

const templatesSaveCommand = defineCommand({
  path: ['templates', 'save'],
  summary: 'Add or replace a library template from a JSON file {name, description, sql, params}',
  usage: '--file T.json | --file - [--json]',
  options: { file: { type: 'string', value: 'T.json', description: 'the template as JSON (- for stdin)' } },
  help: 'params: [{"name","type": text|int|bigint|numeric|bool|date|timestamptz|interval|uuid|enum|identifier, "list", "default", "required", "pattern", "secret", "enum", "enumQuery", "identifierKind"}]; $n in the SQL is the n-th parameter. A template with the same name is replaced.',
  async run(context) {
    const file = context.values.file;
    if (!file)
      throw new OpsError('invalid_input', '--file is missing: give the template as a JSON file (or - for stdin).');
    const text =
      file === '-'
        ? await context.readStdin()
        : await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) =>
            Promise.reject(
              new OpsError('invalid_input', `--file ${file} cannot be read (${e.code ?? e.message}): check the path.`),
            ),
          );
    let template: Record<string, unknown>;
    try {
      template = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new OpsError('invalid_input', `--file ${file} is not JSON (${(error as Error).message}).`);
    }
    const core = context.core();
    const existing = (await core.invoke('templates.list', {})).find(
      (t) =>
        t.name.toLowerCase() ===
        String(template.name ?? '')
          .trim()
          .toLowerCase(),
    );
    const saved = await core.invoke('templates.save', {
      template: { ...template, ...(existing ? { id: existing.id } : {}) } as never,
    });
    return {
      value: saved,
      text: `${existing ? 'Replaced' : 'Added'} template "${saved.name}" (${saved.params.length} parameter(s)).`,
    };
  },
});

const templatesRemoveCommand = defineCommand({
  path: ['templates', 'remove'],
  summary: 'Remove a library template by name',
  usage: 'NAME [--json]',
  options: {},
  async run(context) {
    const name = context.positionals.join(' ').trim();
    if (!name) throw new OpsError('invalid_input', 'Give the template name: opsconsole templates remove NAME.');
    const core = context.core();
    const found = await core.invoke('templates.get', { name });
    await core.invoke('templates.remove', { id: found.id });
    return { value: { removed: true, name: found.name }, text: `Removed template "${found.name}".` };
  },
});

export const templatesCommands = [templatesListCommand, templatesSaveCommand, templatesRemoveCommand];
