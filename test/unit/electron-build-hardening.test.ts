import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isAppUrl } from '../../src/main/app-url';
import { pdfFontFiles } from '../../src/main/incidents/pdf/pdf-document';
import { contentSecurityPolicy } from '../../src/shared/csp';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('electron-builder flips the fuses that turn the packaged app into a plain Node', () => {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
    electronFuses?: Record<string, boolean>;
    asar?: boolean;
  };
  assert.equal(config.asar, true);
  assert.deepEqual(
    {
      runAsNode: config.electronFuses?.runAsNode,
      enableNodeOptionsEnvironmentVariable: config.electronFuses?.enableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: config.electronFuses?.enableNodeCliInspectArguments,
      onlyLoadAppFromAsar: config.electronFuses?.onlyLoadAppFromAsar,
      enableEmbeddedAsarIntegrityValidation: config.electronFuses?.enableEmbeddedAsarIntegrityValidation,
    },
    {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    },
  );
});

test('the package drops the DejaVu fonts the PDF writer never reads, and keeps every one it does', () => {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] };
  const excluded = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const packaged = (file: string) => !excluded.some((pattern) => matchesGlob(file, pattern));
  const fonts = readdirSync(join(root, 'node_modules/dejavu-fonts-ttf/ttf'));
  for (const font of pdfFontFiles) {
    assert.ok(fonts.includes(font), `${font} is in the package`);
    assert.ok(packaged(`node_modules/dejavu-fonts-ttf/ttf/${font}`), `${font} is kept`);
  }
  const dropped = fonts.filter((font) => !packaged(`node_modules/dejavu-fonts-ttf/ttf/${font}`));
  assert.equal(
    dropped.length,
    fonts.length - pdfFontFiles.length,
    `only the unused fonts are dropped: ${dropped.join(', ')}`,
  );
  assert.ok(packaged('node_modules/dejavu-fonts-ttf/LICENSE'), 'the licence travels with the fonts');
});

test("the Electron build's CSP (meta tag and session header) allows no WebSocket", () => {
  const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.ok(meta, 'index.html has a CSP meta tag');
  for (const policy of [meta, contentSecurityPolicy()]) {
    assert.doesNotMatch(policy, /ws:|wss:|\*/, policy);
    assert.match(policy, /connect-src 'self'(;|$)/);
  }
});

test('the app URL check compares parsed origins and the exact renderer file', () => {
  const dev = { devServerUrl: 'http://localhost:5173', file: '/app/out/renderer/index.html' };
  assert.equal(isAppUrl('http://localhost:5173/', dev), true);
  assert.equal(isAppUrl('http://localhost:5173/#/incidents', dev), true);
  for (const url of [
    'http://localhost:5173.evil.example/',
    'http://localhost:51730/',
    'http://localhost:5173@evil.example/',
    'https://localhost:5173/',
    'not a url',
  ]) {
    assert.equal(isAppUrl(url, dev), false, url);
  }
  const packaged = { file: '/app/out/renderer/index.html' };
  assert.equal(isAppUrl('file:///app/out/renderer/index.html', packaged), true);
  assert.equal(isAppUrl('file:///app/out/renderer/index.html#/settings', packaged), true);
  for (const url of [
    'file:///app/out/renderer/index.html.evil',
    'file:///app/out/renderer/other.html',
    'file://evil/app/out/renderer/index.html',
    'file:///app/out/renderer/index.html?x=1',
  ]) {
    assert.equal(isAppUrl(url, packaged), false, url);
  }
});
