import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HeadlessRunResult } from '../../src/shared/contract';
import { runCliInProcess } from '../support/cli';
import { tempCore, type TempCore } from '../support/temp-core';

// Runbook values (typed with --param, defaults, captured) are data: each case below would create
// or delete a file if a value ever ran as code or as an option. A profile without SSH runs shell
// steps on this computer, so the side effect is checked here.
let temp: TempCore;
let folder: string;
const marker = () => join(folder, 'PWNED');

before(async () => {
  temp = tempCore();
  await temp.core.invoke('profiles.save', {
    profile: {
      name: 'laptop',
      environment: 'development',
      postgres: { host: '127.0.0.1', port: 1, database: 'none', user: 'none' },
    },
  });
  folder = mkdtempSync(join(tmpdir(), 'headless-values-'));
});
after(async () => {
  await temp?.dispose();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const runbookWith = (name: string, frontmatter: string, block: string) => {
  const file = join(folder, `${name}.md`);
  writeFileSync(
    file,
    `${frontmatter ? `---\n${frontmatter}---\n\n` : ''}# ${name}\n\n## Step\n\n\`\`\`sh {name=step}\n${block}\n\`\`\`\n`,
  );
  return file;
};
const run = async (file: string, args: string[]) => {
  const result = await runCliInProcess(temp.dataDir, [
    'runbook',
    'run',
    file,
    '--profile',
    'laptop',
    '--step',
    'step',
    ...args,
    '--json',
  ]);
  const doc = result.stdout ? result.json<HeadlessRunResult>() : undefined;
  return { code: result.code, step: doc?.steps?.find((s) => s.id === 'step'), stdout: result.stdout };
};

test('a quote in a comment does not let a later value run: refused or quoted, never executed', async () => {
  mkdirSync(join(folder, 'md'), { recursive: true });
  writeFileSync(join(folder, 'md', 'a.md'), 'api\n');
  const file = runbookWith(
    'comment',
    '',
    `for f in ${folder}/md/*.md; do  # each node's file\n  grep -c {{service}} "$f"\ndone`,
  );
  await run(file, ['--param', `service=api$(touch ${marker()})`]);
  assert.equal(existsSync(marker()), false);
  const broken = runbookWith('comment-newline', '', 'ls /tmp # for {{svc}}');
  const { step } = await run(broken, ['--param', `svc=x\ntouch ${marker()} #`]);
  assert.equal(existsSync(marker()), false);
  assert.match(step!.error!, /svc sits in a comment and contains a line break/);
});

test('a value starting with - is refused where it would be an option, and the filled text is judged again', async () => {
  const logs = join(folder, 'logs');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, 'keep.md'), 'x');
  const option = runbookWith('option', '', `find {{dir}} -name "*.md" -print`);
  const { step } = await run(option, ['--param', 'dir=-delete']);
  assert.match(step!.error!, /dir starts with "-".*option/);
  // Filled, it deletes: it needs --confirm like any other write.
  const action = runbookWith('action', '', `find ${logs} -name "*.md" -{{action}}`);
  const refused = await run(action, ['--param', 'action=delete']);
  assert.equal(refused.code, 1);
  assert.equal(refused.step!.outcome, 'failed');
  assert.match(refused.step!.error!, /dangerous, not a read: it was not run.*--confirm/);
  assert.equal(existsSync(join(logs, 'keep.md')), true);
  // The value names find's action, so the template is no read whatever the value: it asks first…
  const unreviewed = await run(action, ['--param', 'action=print']);
  assert.equal(unreviewed.step!.outcome, 'failed');
  assert.match(unreviewed.step!.error!, /unknown, not a read: it was not run.*--confirm/);
  // …unless the value is one of an enum of reviewed words that are all reads.
  const reviewed = runbookWith(
    'action-enum',
    'parameters:\n  - name: action\n    type: enum\n    enum: [print, ls]\n',
    `find ${logs} -name "*.md" -{{action}}`,
  );
  const read = await run(reviewed, ['--param', 'action=print']);
  assert.equal(read.step!.outcome, 'ok');
  assert.match(read.step!.output!, /keep\.md/);
});

test('a value inside bash -c, ssh or backticks may only be a plain word', async () => {
  const cases: [string, string][] = [
    ["bash -c 'ls /tmp/{{svc}}'", /argument of `bash`/.source],
    ['echo "size: `du -sh /tmp/{{svc}}`"', /backticks/.source],
  ];
  for (const [block, why] of cases) {
    const file = runbookWith(`reread-${cases.findIndex((c) => c[0] === block)}`, '', block);
    const { step } = await run(file, ['--param', `svc=x$(touch ${marker()})`]);
    assert.equal(existsSync(marker()), false, block);
    assert.match(step!.error!, new RegExp(`svc sits .*${why}.*only plain words`), block);
  }
});

test('frontmatter rules (enum, pattern, type) are checked for --param values and defaults before anything runs', async () => {
  const out = join(folder, 'rules');
  mkdirSync(out, { recursive: true });
  const file = runbookWith(
    'rules',
    `parameters:\n  - name: env\n    type: enum\n    enum: [staging, production]\n  - name: svc\n    pattern: "^[a-z]+$"\n  - name: count\n    type: int\n    default: ten\n`,
    `touch ${out}/{{env}}-{{svc}}-{{count}}`,
  );
  const badEnum = await run(file, [
    '--param',
    'env=prod',
    '--param',
    'svc=api',
    '--param',
    'count=1',
    '--confirm',
    'laptop',
  ]);
  assert.match(badEnum.step!.error!, /env must be one of staging, production/);
  const badPattern = await run(file, [
    '--param',
    'env=staging',
    '--param',
    'svc=api.v2',
    '--param',
    'count=1',
    '--confirm',
    'laptop',
  ]);
  assert.match(badPattern.step!.error!, /svc must match \^\[a-z\]\+\$/);
  const badDefault = await run(file, ['--param', 'env=staging', '--param', 'svc=api', '--confirm', 'laptop']);
  assert.match(badDefault.step!.error!, /count must be a whole number/);
  assert.deepEqual(readdirSync(out), []);
  const good = await run(file, [
    '--param',
    'env=staging',
    '--param',
    'svc=api',
    '--param',
    'count=1',
    '--confirm',
    'laptop',
  ]);
  assert.equal(good.step!.outcome, 'ok', good.step!.error ?? '');
  assert.deepEqual(readdirSync(out), ['staging-api-1']);
});

test('a frontmatter error never loosens a value check: valid declarations keep their rules, a broken one lets no value through', async () => {
  const out = join(folder, 'broken-frontmatter');
  mkdirSync(out, { recursive: true });
  // `label:` is no parameter field (declarations are strict): before, this one error dropped every
  // declaration, and the step ran with svc and host outside their enum and pattern.
  const frontmatter =
    'parameters:\n  - name: svc\n    type: enum\n    enum: [api, worker]\n  - name: host\n    pattern: "^[a-z0-9-]+$"\n    label: Host name\n';
  const file = runbookWith('broken-frontmatter', frontmatter, `touch ${out}/restart-{{svc}}-{{host}}`);
  const outside = await run(file, ['--param', 'svc=postgresql', '--param', 'host=Evil_Host', '--confirm', 'laptop']);
  assert.equal(outside.step!.outcome, 'failed');
  assert.match(outside.step!.error!, /svc must be one of api, worker/);
  const broken = await run(file, ['--param', 'svc=api', '--param', 'host=web-1', '--confirm', 'laptop']);
  assert.equal(broken.step!.outcome, 'failed');
  assert.match(
    broken.step!.error!,
    /host cannot be checked: the runbook's frontmatter has an error \(parameters\.1 has unknown field\(s\) label: remove them\)\. Fix the frontmatter to run a step that uses host.*nothing was run/,
  );
  // Not valid YAML at all: no declaration can be read, so no value passes.
  const unreadable = runbookWith('unreadable-frontmatter', 'parameters: [\n', `touch ${out}/{{svc}}`);
  const { step } = await run(unreadable, ['--param', 'svc=api', '--confirm', 'laptop']);
  assert.match(
    step!.error!,
    /svc cannot be checked: the runbook's frontmatter has an error \(frontmatter is not valid YAML/,
  );
  assert.deepEqual(readdirSync(out), []);
  // The runbook still reads: a step without values runs.
  const plain = runbookWith('broken-frontmatter-plain', frontmatter, `touch ${out}/plain`);
  assert.equal((await run(plain, ['--confirm', 'laptop'])).step!.outcome, 'ok');
  assert.deepEqual(readdirSync(out), ['plain']);
});

test('every placeholder form the importer recognises is filled with the value given, never run as the literal', async () => {
  const out = join(folder, 'forms');
  mkdirSync(out, { recursive: true });
  const file = runbookWith('forms', '', `touch ${out}/[FILE_NAME].txt ${out}/REPLACE_ME.log`);
  const { step } = await run(file, ['--param', 'FILE_NAME=alpha', '--param', 'replace_me=beta', '--confirm', 'laptop']);
  assert.equal(step!.outcome, 'ok', step!.error ?? '');
  assert.deepEqual(readdirSync(out).sort(), ['alpha.txt', 'beta.log']);
});

test('${X:-default} without a value fills its default; with one, the value', async () => {
  const out = join(folder, 'fallback');
  mkdirSync(out, { recursive: true });
  const file = runbookWith('fallback', '', `touch ${out}/\${LABEL:-plain}`);
  const byDefault = await run(file, ['--confirm', 'laptop']);
  assert.equal(byDefault.step!.outcome, 'ok', byDefault.step!.error ?? '');
  const given = await run(file, ['--param', 'LABEL=given', '--confirm', 'laptop']);
  assert.equal(given.step!.outcome, 'ok', given.step!.error ?? '');
  assert.deepEqual(readdirSync(out).sort(), ['given', 'plain']);
});
