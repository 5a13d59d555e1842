import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Node has WebAssembly at run time; the main tsconfig's libs declare only its types, not the global.
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } })
  .WebAssembly;
let compiled: Promise<WebAssembly.Module | undefined> | undefined;

/**
 * Postgres compiled to WASM, compiled once per process and handed to every sandbox's thread.
 * The machine code V8 makes while Postgres runs (functions compiled on first call, hot ones
 * optimised) belongs to the compiled module, which lives as long as something holds it: compiled
 * inside each sandbox's thread, it died when the sandbox closed and the next sandbox paid it again
 * on its first DDL (the 50-table shape: 1.3 s of CPU and 140,000 page faults, against 0.35 s and
 * under 5,000 on a warm module). Kept for the life of the process (about 10 MB of RSS); compiled
 * on the first sandbox, so an idle console pays nothing.
 */
export function engineCode(): Promise<WebAssembly.Module | undefined> {
  compiled ??= readFile(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm'))
    .then((bytes) => wasm.compile(bytes))
    // Without it PGlite compiles its own copy in the thread: slower later sandboxes, same results.
    .catch(() => undefined);
  return compiled;
}
