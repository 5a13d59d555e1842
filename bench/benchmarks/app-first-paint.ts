import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from '../../src/host/host';
import { launchChromium } from '../../test/support/browser';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The window's first paint: Chromium (Playwright) loads the built renderer from the loopback host,
// each time in a fresh browser context (no cache), and reads navigation start → first contentful
// paint from the page's own performance timeline; also the JavaScript it fetched before that paint.

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
  const host = await startHost({ core: temp.core, staticDir: rendererDir });
  const browser = await launchChromium();
  try {
    const paints: number[] = [];
    const bytes: number[] = [];
    for (let run = 0; run < Math.max(5, context.runs); run++) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(host.url, { waitUntil: 'load' });
      const { fcp, js } = (await page.evaluate(measureInPage)) as { fcp: number; js: number };
      paints.push(fcp);
      bytes.push(js);
      await page.context().close();
    }
    context.log(
      `  first paint ${paints.map((p) => p.toFixed(0)).join(', ')} ms; JS before it ${bytes.map((b) => (b / 1024).toFixed(0)).join(', ')} kB`,
    );
    return [
      result({
        id: 'app.first_paint_ms',
        unit: 'ms',
        value: round(median(paints), 1),
        anchor: null,
        goal: { of: 'value', op: '<=', limit: 500 },
        also: [{ name: 'JavaScript kB loaded before first paint (goal ≤ 500)', value: round(median(bytes) / 1024, 1) }],
        note: `built renderer from the loopback host, fresh browser context each load, median of ${paints.length}`,
      }),
    ];
  } finally {
    await browser.close();
    await host.close();
    await temp.dispose();
  }
}

export const appFirstPaintBenchmarks: Benchmark[] = [
  {
    id: 'app.first_paint_ms',
    description: 'Built renderer in Chromium from the loopback host: navigation start to first contentful paint, cold',
    run: firstPaintRun,
  },
];
