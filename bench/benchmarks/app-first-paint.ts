import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from '../../src/host/host';
import { launchChromium } from '../../test/support/browser';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The window's first paint: Chromium (Playwright) loads the built renderer from the loopback host,
// each time in a fresh browser context (no cache), and reads navigation start → first contentful
// paint from the page's own performance timeline; also the JavaScript it fetched before that paint.
// The floor, loaded in turn with the app from a second host of the same code: a page holding one
// heading and nothing else (no script, no style), so the figure shows how much of it is Chromium
// painting anything at all on this machine and how much is the renderer.

const root = fileURLToPath(new URL('../..', import.meta.url));
const rendererDir = join(root, 'out', 'renderer');

/** Inside the page: FCP (ms since navigation start) and the bytes of scripts that finished before it. */
const measureInPage = `new Promise((resolve) => {
  const done = (fcp) => {
    const js = performance.getEntriesByType('resource')
      .filter((r) => /\\.m?js(\\?|$)/.test(r.name) && r.responseEnd <= fcp)
      .reduce((sum, r) => sum + (r.decodedBodySize || r.encodedBodySize || 0), 0);
    resolve({ fcp, js });
  };
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) return done(seen.startTime);
  new PerformanceObserver((list) => done(list.getEntriesByName('first-contentful-paint')[0].startTime)).observe({ type: 'paint', buffered: true });
})`;

async function firstPaintRun(context: BenchContext): Promise<BenchResult[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    context.log('  building the renderer (vite) first');
    const build = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.renderer.config.mts', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('the renderer build failed');
  }
  const temp = tempCore();
  const floorDir = mkdtempSync(join(tmpdir(), 'opsconsole-paint-floor-'));
  writeFileSync(
    join(floorDir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Ops Console</title></head><body><h1>Ops Console</h1></body></html>',
  );
  const host = await startHost({ core: temp.core, staticDir: rendererDir });
  const floorHost = await startHost({ core: temp.core, staticDir: floorDir });
  const browser = await launchChromium();
  const load = async (url: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url, { waitUntil: 'load' });
    const measured = (await page.evaluate(measureInPage)) as { fcp: number; js: number };
    await page.context().close();
    return measured;
  };
  try {
    const paints: number[] = [];
    const bytes: number[] = [];
    const floors: number[] = [];
    for (let run = 0; run < Math.max(5, context.runs); run++) {
      const { fcp, js } = await load(host.url);
      paints.push(fcp);
      bytes.push(js);
      floors.push((await load(floorHost.url)).fcp);
    }
    context.log(
      `  first paint ${paints.map((p) => p.toFixed(0)).join(', ')} ms; JS before it ${bytes.map((b) => (b / 1024).toFixed(0)).join(', ')} kB; one-heading page ${floors.map((p) => p.toFixed(0)).join(', ')} ms`,
    );
    return [
      result({
        id: 'app.first_paint_ms',
        unit: 'ms',
        value: round(median(paints), 1),
        anchor: null,
        goal: { of: 'value', op: '<=', limit: 500 },
        also: [
          { name: 'JavaScript kB loaded before first paint (goal ≤ 500)', value: round(median(bytes) / 1024, 1) },
          {
            name: 'floor: a page of one heading, no script or style, same host code and browser (ms)',
            value: round(median(floors), 1),
          },
        ],
        note: `built renderer from the loopback host, fresh browser context each load, median of ${paints.length}; app and floor page load in turn`,
      }),
    ];
  } finally {
    await browser.close();
    await host.close();
    await floorHost.close();
    await temp.dispose();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

export const appFirstPaintBenchmarks: Benchmark[] = [
  {
    id: 'app.first_paint_ms',
    description: 'Built renderer in Chromium from the loopback host: navigation start to first contentful paint, cold',
    run: firstPaintRun,
  },
];
