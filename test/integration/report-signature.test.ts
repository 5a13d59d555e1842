import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTempDir, removeDir } from '../harness/index';
import { runCliInProcess } from '../support/cli';

const sender = makeTempDir('report-sender');
const forger = makeTempDir('report-forger');
after(() => {
  removeDir(sender);
  removeDir(forger);
});
process.env.OPSCONSOLE_VAULT = 'file';
const cli = (home: string, args: string[]) => runCliInProcess(home, args);

async function exportReport(home: string, title: string, out: string): Promise<string> {
  const id = (await cli(home, ['incident', 'start', '--title', title, '--severity', 'P1', '--json'])).json<{
    id: string;
  }>().id;
  await cli(home, ['incident', 'note', id, 'restarted the pooler']);
  await cli(home, ['incident', 'note', id, 'latency back to normal']);
  const exported = await cli(home, [
    'incident',
    'export',
    id,
    '--format',
    'json',
    '--out',
    out,
    '--attachments',
    'none',
  ]);
  assert.equal(exported.code, 0, exported.stderr);
  return id;
}

const pick = ({
  chainOk,
  signatureOk,
  keyMatches,
}: {
  chainOk?: boolean;
  signatureOk?: boolean;
  keyMatches?: boolean | null;
}) => ({ chainOk, signatureOk, keyMatches });

test('a signed JSON export verifies; a one-byte edit and a re-signed forgery with another key both fail', async () => {
  const file = join(sender, 'report.json');
  const id = await exportReport(sender, 'Checkout latency', file);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(report.signed.algorithm, 'ed25519');
  assert.equal(report.signed.events.length, report.chain.events);
  assert.ok(report.signed.events.every((e: { hash: string }) => /^[0-9a-f]{64}$/.test(e.hash)));
  const fingerprint: string = report.signed.fingerprint;
  assert.match(fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /PRIVATE|pkcs8/i);

  const good = await cli(sender, ['incident', 'verify', '--file', file, '--key', fingerprint, '--json']);
  assert.equal(good.code, 0, good.stdout);
  assert.deepEqual(
    { ...good.json<object>(), headHash: undefined },
    {
      ok: true,
      incidentId: id,
      events: report.chain.events,
      headHash: undefined,
      fingerprint,
      chainOk: true,
      signatureOk: true,
      keyMatches: true,
      problems: [],
    },
  );
  assert.equal(
    (await cli(sender, ['incident', 'verify', '--file', file, '--key', report.signed.publicKey])).code,
    0,
    'the public key works as --key too',
  );

  // One byte changed in a note: the event hash and the signature both fail.
  const edited = join(sender, 'edited.json');
  writeFileSync(edited, readFileSync(file, 'utf8').replaceAll('restarted the pooler', 'restarted the poolex'));
  const bad = await cli(sender, ['incident', 'verify', '--file', edited, '--json']);
  assert.equal(bad.code, 1);
  assert.match(
    bad.json<{ problems: string[] }>().problems.join('; '),
    /does not match its hash.*signature does not match/,
  );
  assert.deepEqual(pick(bad.json()), { chainOk: false, signatureOk: false, keyMatches: null });

  // A forger edits the report, recomputes the chain and signs it with their own installation's key.
  const forgedFile = join(forger, 'forged.json');
  await exportReport(forger, 'Checkout latency', forgedFile);
  const forged = await cli(forger, ['incident', 'verify', '--file', forgedFile]);
  assert.equal(forged.code, 0, "valid on its own: the forger's own key signed it");
  const wrongKey = await cli(sender, ['incident', 'verify', '--file', forgedFile, '--key', fingerprint]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stdout, /NOT VALID: it was signed by key SHA256:\S+, not the expected SHA256:/);
  const wrongKeyJson = await cli(sender, ['incident', 'verify', '--file', forgedFile, '--key', fingerprint, '--json']);
  assert.deepEqual(pick(wrongKeyJson.json()), { chainOk: true, signatureOk: true, keyMatches: false });

  // The Markdown and HTML exports name the key so a reader can ask for the JSON.
  const markdown = await cli(sender, ['incident', 'export', id, '--format', 'md']);
  assert.ok(markdown.stdout.includes(fingerprint.replace('SHA256:', 'SHA256:')), 'fingerprint in Markdown');
  const html = await cli(sender, ['incident', 'export', id, '--format', 'html']);
  assert.ok(html.stdout.includes(fingerprint), 'fingerprint in HTML');
});

test('a signed export still validates against the versioned report schema', async () => {
  const { incidentReportSchema } = await import('../../src/shared/incident');
  const file = join(sender, 'schema.json');
  await exportReport(sender, 'Schema check', file);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(incidentReportSchema.parse(report), report);
});
