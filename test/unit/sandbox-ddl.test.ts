import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shapeToDdl } from '../../src/main/sandbox/ddl';
import type { Shape, ShapeConstraint, ShapeTable } from '../../src/main/sandbox/shape';

const key = (name: string, type: ShapeConstraint['type'], def: string): ShapeConstraint => ({
  name,
  type,
  def,
  columns: [],
  references: null,
  refColumns: [],
});

function table(name: string, constraints: ShapeConstraint[], extra: Partial<ShapeTable> = {}): ShapeTable {
  return {
    qualified: `public.${name}`,
    schema: 'public',
    name,
    kind: 'r',
    reltuples: 10,
    bytes: 8192,
    constraints,
    indexes: [`CREATE INDEX ${name}_idx ON public.${name} USING btree (id)`],
    triggers: [],
    columns: [
      { name: 'id', type: 'integer', userType: null, notNull: true, default: null, identity: '', generated: '' },
      {
        name: 'parent_id',
        type: 'integer',
        userType: null,
        notNull: false,
        default: null,
        identity: '',
        generated: '',
      },
    ],
    rls: { enabled: false, forced: false, policies: [] },
    partitionKey: null,
    partitionOf: null,
    viewDef: null,
    stats: [],
    ...extra,
  };
}

const shape: Shape = {
  takenAt: '2026-01-01T00:00:00Z',
  schemas: ['public'],
  enums: [],
  domains: [],
  otherTypes: [],
  sequences: [],
  tables: [
    table('parents', [key('parents_pkey', 'p', 'PRIMARY KEY (id)')]),
    table('kids', [
      key('kids_pkey', 'p', 'PRIMARY KEY (id)'),
      key('kids_parent', 'f', 'FOREIGN KEY (parent_id) REFERENCES public.parents(id)'),
      key('kids_parent2', 'f', 'FOREIGN KEY (parent_id) REFERENCES public.parents(id)'),
      key('kids_positive', 'c', 'CHECK (id > 0)'),
    ]),
    table('events', [key('events_pkey', 'p', 'PRIMARY KEY (id)')], { partitionKey: 'RANGE (id)' }),
  ],
};

const fastScript = (steps: { sql: string; fast?: string }[]) => steps.map((s) => s.fast ?? s.sql).filter(Boolean);

test("the fast path folds keys into CREATE TABLE and adds a table's foreign keys in one ALTER, after its indexes", () => {
  const { before, after } = shapeToDdl(shape);
  const script = fastScript(before);
  assert.ok(
    script.includes(
      'CREATE TABLE public.kids (id integer NOT NULL, parent_id integer, CONSTRAINT kids_pkey PRIMARY KEY (id))',
    ),
    script.join('\n'),
  );
  assert.ok(
    !script.some((sql) => sql.startsWith('ALTER TABLE ONLY public.kids ADD CONSTRAINT kids_pkey')),
    'the key is not added twice',
  );
  // A partitioned table keeps its key as a separate step (its partitions carry their own).
  assert.ok(script.includes('ALTER TABLE ONLY public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id)'));
  const later = fastScript(after);
  const fk = later.indexOf(
    'ALTER TABLE public.kids ADD CONSTRAINT kids_parent FOREIGN KEY (parent_id) REFERENCES public.parents(id), ADD CONSTRAINT kids_parent2 FOREIGN KEY (parent_id) REFERENCES public.parents(id)',
  );
  assert.ok(fk >= 0, later.join('\n'));
  assert.ok(
    later.indexOf('CREATE INDEX kids_idx ON public.kids USING btree (id)') < fk,
    'indexes come before foreign keys',
  );
  assert.ok(
    later.includes('ALTER TABLE ONLY public.kids ADD CONSTRAINT kids_positive CHECK (id > 0)'),
    'CHECKs stay after the seeding',
  );
});

test('the step-by-step path still names each key and foreign key on its own', () => {
  const { before, after } = shapeToDdl(shape);
  const objects = [...before, ...after].map((s) => s.object);
  for (const name of ['kids_pkey', 'kids_parent', 'kids_parent2', 'kids_positive'])
    assert.ok(objects.includes(`constraint ${name} on public.kids`), name);
  assert.equal(
    before.find((s) => s.object === 'table public.kids')!.sql,
    'CREATE TABLE public.kids (id integer NOT NULL, parent_id integer)',
  );
});
