import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSqlClassifier } from '../../src/main/runbooks/classifier';
import { importRunbook } from '../../src/main/runbooks/importer';

const fence = (lang: string, attrs: string, body: string) =>
  ['```' + lang + (attrs ? ` {${attrs}}` : ''), body, '```', ''].join('\n');

test('a step card title comes from title=, else the first comment line, else name=; only an unnamed, uncommented step has none', async () => {
  const text = [
    '# Titles',
    '',
    '## Locks',
    '',
    fence('sql', 'name=check-locks', 'SELECT 1;'),
    fence(
      'sql',
      '',
      '-- Count sessions\n-- (second comment line is not the title)\nSELECT count(*) FROM pg_stat_activity;\nSELECT 2;',
    ),
    fence('sql', 'name=named-and-commented', '-- Sessions by state\nSELECT state FROM pg_stat_activity;'),
    fence('redis', '', '# Memory usage\nINFO memory'),
    fence('bash', '', '# Disk space\ndf -h'),
    fence('sql', 'name=x title="Explicit title"', '-- comment\nSELECT 3;'),
    fence('sql', '', 'SELECT 4;'),
  ].join('\n');
  const plan = await importRunbook(text, { path: 'titles.md', classify: defaultSqlClassifier });
  const titles = plan.steps.map((s) => [s.id, s.title ?? null]);
  assert.deepEqual(titles, [
    ['check-locks', 'check-locks'],
    ['locks-1', 'Count sessions'],
    ['named-and-commented', 'Sessions by state'],
    ['locks-2', 'Memory usage'],
    ['locks-3', 'Disk space'],
    ['x', 'Explicit title'],
    ['locks-4', null],
  ]);
});
