import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBindMarkers, spliceIdentifiers } from '../../src/main/templates/bind-markers';
import { coerceParam } from '../../src/main/templates/param-values';
import { canRunInTransaction, explainable } from '../../src/main/postgres/statement-traits';
import { Redactor } from '../../src/main/redaction/index';
import { TemplateService, type TemplateServiceDeps } from '../../src/main/templates/template-service';
import { templateParamSchema, type QueryTemplateView, type TemplateParamInput } from '../../src/shared/template';

const param = (input: Partial<TemplateParamInput> & Pick<TemplateParamInput, 'type'>) =>
  templateParamSchema.parse({ name: 'p', ...input });
const ok = (input: Parameters<typeof param>[0], raw: unknown) => coerceParam(param(input), raw).value;
const fails = (input: Parameters<typeof param>[0], raw: unknown, message: RegExp | ((error: Error) => boolean)) =>
  assert.throws(() => coerceParam(param(input), raw), message);

test('typed values are validated and normalised', () => {
  assert.equal(ok({ type: 'int' }, ' 42 '), '42');
  fails({ type: 'int' }, '2147483648', /out of range for int/);
  assert.equal(ok({ type: 'bigint' }, '9223372036854775807'), '9223372036854775807');
  fails({ type: 'bigint' }, '1; DROP', /whole number/);
  assert.equal(ok({ type: 'numeric' }, '-12.50e3'), '-12.50e3');
  fails({ type: 'numeric' }, '1,5', /must be a number/);
  assert.equal(ok({ type: 'bool' }, 'yes'), true);
  fails({ type: 'bool' }, 'maybe', /true or false/);
  assert.equal(ok({ type: 'date' }, '2024-02-29'), '2024-02-29');
  fails({ type: 'date' }, '2023-02-29', /YYYY-MM-DD/);
  assert.equal(ok({ type: 'timestamptz' }, '2026-11-23T14:05:00Z'), '2026-11-23T14:05:00Z');
  fails({ type: 'timestamptz' }, '2026-11-23 14:05', /with its zone/);
  for (const interval of ['15 minutes', '1 hour 30 min', 'PT15M', '00:15:00', '2 days ago'])
    assert.equal(ok({ type: 'interval' }, interval), interval);
  fails({ type: 'interval' }, "1 day'; DROP", /interval such as/);
  assert.equal(ok({ type: 'uuid' }, '3F2B8C1E-9D4A-4F5E-8B7C-1A2B3C4D5E6F'), '3f2b8c1e-9d4a-4f5e-8b7c-1a2b3c4d5e6f');
  fails({ type: 'uuid' }, 'not-a-uuid', /must be a UUID/);
  fails({ type: 'text', pattern: '[a-z]+' }, 'abc1', /does not match the pattern/);
  assert.equal(ok({ type: 'text', pattern: '[a-z]+' }, 'abc'), 'abc');
});

test('default, required, optional and lists', () => {
  assert.equal(ok({ type: 'int', default: '7' }, ''), '7');
  fails({ type: 'int' }, undefined, /params\.p is required/);
  assert.equal(ok({ type: 'int', required: false }, undefined), null);
  assert.deepEqual(ok({ type: 'int', list: true }, '1, 2,3'), ['1', '2', '3']);
  assert.deepEqual(ok({ type: 'uuid', list: true }, ['3f2b8c1e-9d4a-4f5e-8b7c-1a2b3c4d5e6f']), [
    '3f2b8c1e-9d4a-4f5e-8b7c-1a2b3c4d5e6f',
  ]);
  fails({ type: 'int', list: true }, '1, x', /whole number/);
  fails({ type: 'int' }, ['1'], /takes one value/);
  assert.throws(
    () => templateParamSchema.parse({ name: 'e', type: 'enum' }),
    /enum needs a list of values or an enumQuery/,
  );
});

test('bind markers are found outside strings, comments and dollar quotes; identifiers spliced and the rest renumbered', () => {
  const sql = "SELECT $1, '$2', \"$3\", $$ $4 $$, $q$ $5 $q$ /* $6 /* nested $7 */ */ -- $8\n, E'\\' $9', $2, $10";
  assert.deepEqual(
    findBindMarkers(sql).map((m) => m.index),
    [1, 2, 10],
  );
  const spliced = spliceIdentifiers(
    'SELECT $2, count(*) FROM $1 WHERE a = $3 AND b = $2',
    new Map([[1, '"my ""table"""']]),
  );
  assert.equal(spliced.sql, 'SELECT $1, count(*) FROM "my ""table""" WHERE a = $2 AND b = $1');
  assert.deepEqual(spliced.order, [2, 3]);
});

test('statements that cannot run in a transaction, and EXPLAIN targets', () => {
  for (const text of [
    'VACUUM items',
    'vacuum (verbose) items',
    'CREATE INDEX CONCURRENTLY i ON t (a)',
    'create unique index concurrently i on t(a)',
    '-- note\nDROP INDEX CONCURRENTLY i',
    'REINDEX TABLE CONCURRENTLY t',
    'CREATE DATABASE x',
    'ALTER SYSTEM SET work_mem = 1',
  ]) {
    assert.equal(canRunInTransaction(text), false, text);
  }
  for (const text of [
    'CREATE INDEX i ON t (a)',
    'UPDATE t SET a = 1 WHERE b',
    'GRANT SELECT ON t TO x',
    'ANALYZE t',
    'REINDEX TABLE t',
  ])
    assert.equal(canRunInTransaction(text), true, text);
  assert.equal(explainable('/* x */ UPDATE t SET a = 1'), true);
  assert.equal(explainable('WITH d AS (DELETE FROM t RETURNING *) SELECT 1'), true);
  assert.equal(explainable('CREATE TABLE t (a int)'), false);
});

test('a secret parameter refused for its type or its list is never quoted in the message', async () => {
  for (const [type, raw] of [
    ['int', 'SEKRITabc'],
    ['bigint', 'SEKRITabc'],
    ['numeric', 'SEKRITabc'],
  ] as const) {
    fails({ type, secret: true }, raw, (error: Error) => {
      assert.doesNotMatch(error.message, /SEKRIT/);
      assert.match(error.message, /^params\.p must be a .*number.*the value given \(a secret parameter: not shown\)/);
      return true;
    });
    fails({ type }, raw, /"SEKRITabc"/);
  }
  // The redactor knows the value before it is checked: whatever else quotes it is masked.
  const redactor = new Redactor();
  const service = new TemplateService({ redactor } as unknown as TemplateServiceDeps);
  const template: QueryTemplateView = {
    id: 't',
    name: 'sec',
    description: '',
    sql: 'SELECT $1',
    params: [param({ name: 'pin', type: 'int', secret: true })],
    source: 'library',
  };
  await assert.rejects(service.render('profile', template, { pin: 'SEKRITxyz' }), /params\.pin must be a whole number/);
  assert.equal(redactor.text('server said: SEKRITxyz'), 'server said: [redacted]');
});
