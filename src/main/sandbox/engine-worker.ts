/**
 * The sandbox's worker thread: PGlite (Postgres compiled to WASM) runs here so a long statement
 * or a cold start never blocks the core's event loop. Loaded only when a sandbox is opened.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { EngineOpenOptions, EngineRequest, EngineResponse } from './engine-protocol';

const options = workerData as EngineOpenOptions;
let db: PGlite | undefined;
let server: PGLiteSocketServer | undefined;

async function open(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const fresh = !existsSync(options.dataDir) || readdirSync(options.dataDir).length === 0;
  // A fresh folder is filled from the template (skips initdb, ~15x faster than a cold start).
  const loadDataDir = fresh && options.templatePath && existsSync(options.templatePath) ? new Blob([readFileSync(options.templatePath)]) : undefined;
  const opened = await PGlite.create(options.dataDir, loadDataDir ? { loadDataDir } : {});
  if (options.socketPath) {
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    server = new PGLiteSocketServer({ db: opened, path: options.socketPath, maxConnections: 8 });
    await server.start();
  }
  return opened;
}

async function handle(request: EngineRequest, engine: PGlite): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const result = await engine.query(request.sql, request.params ?? [], { rowMode: 'object' });
      return { rows: result.rows, fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), affectedRows: result.affectedRows ?? 0 };
    }
    case 'exec':
      return (await engine.exec(request.sql)).map((r) => ({ rows: r.rows, affectedRows: r.affectedRows ?? 0 }));
    case 'dump': {
      const dump = await engine.dumpDataDir('gzip');
      writeFileSync(request.path, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      return { written: request.path };
    }
    case 'close':
      await server?.stop();
      await engine.close();
      return { closed: true };
  }
}

const ready = open().then((opened) => (db = opened));
ready.then(
  () => parentPort!.postMessage({ id: 0, ok: true, value: { ready: true } } satisfies EngineResponse),
  (error: Error) => parentPort!.postMessage({ id: 0, ok: false, error: { message: error.message } } satisfies EngineResponse),
);

parentPort!.on('message', (request: EngineRequest) => {
  void ready
    .then(() => handle(request, db!))
    .then(
      (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies EngineResponse),
      (error: Error & { code?: string; detail?: string; constraint?: string }) =>
        parentPort!.postMessage({ id: request.id, ok: false, error: { message: error.message, code: error.code, detail: error.detail, constraint: error.constraint } } satisfies EngineResponse),
    );
});
