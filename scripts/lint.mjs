// `npm run lint` (and the first step of `npm test`): ESLint, the Prettier check, the Electronegativity
// gate, the import graph (dependency-cruiser: layers, no circles) and the dead-code check (knip).
// The checks run side by side (each is mostly one core) and report in this fixed order; any failure
// fails the whole lint, after every check has said what it found.
import { spawn } from 'node:child_process';

const node = process.execPath;
const checks = [
  {
    title: 'ESLint',
    args: [
      'node_modules/eslint/bin/eslint.js',
      '.',
      '--cache',
      '--cache-location',
      'node_modules/.cache/eslint/',
      '--max-warnings',
      '0',
    ],
  },
  {
    title: 'Prettier (format check)',
    args: ['node_modules/prettier/bin/prettier.cjs', '--check', '--cache', '--log-level=warn', '.'],
  },
  { title: 'Electronegativity (Electron security review)', args: ['scripts/electronegativity.mjs'] },
  {
    title: 'import graph (dependency-cruiser: layers, circles)',
    args: ['node_modules/dependency-cruiser/bin/dependency-cruiser.mjs', 'src', '--config', '.dependency-cruiser.cjs'],
  },
  { title: 'dead code (knip)', args: ['node_modules/knip/bin/knip.js', '--no-progress'] },
];

function run(check) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, check.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ...check, ok: false, output: String(error), seconds: 0 }));
    child.on('close', (code) => resolve({ ...check, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(checks.map(run));
for (const result of results) {
  process.stderr.write(`${result.ok ? '✔' : '✖'} ${result.title} (${result.seconds.toFixed(1)} s)\n`);
  if (!result.ok || result.output.trim()) process.stderr.write(result.output.replace(/^/gm, '    ') + '\n');
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  process.stderr.write(`lint failed: ${failed.map((r) => r.title).join(', ')}\n`);
  process.exit(1);
}
