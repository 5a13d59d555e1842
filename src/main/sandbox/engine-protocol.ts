/** Messages between the core and the sandbox's worker thread (structured-clone safe). */
export interface EngineOpenOptions {
  /** The Postgres data folder (inside the private data folder). */
  dataDir: string;
  /** A gzip tarball of an initialised data folder, loaded into an empty dataDir instead of initdb. */
  templatePath?: string;
  /** Serve the Postgres wire protocol on this Unix socket (never a TCP port). */
  socketPath?: string;
  /** Postgres compiled once per process and shared by every sandbox's thread (set by SandboxEngine.open). */
  wasmModule?: WebAssembly.Module;
}

export type EngineRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'dump'; path: string }
  | { id: number; op: 'close' };

/** A Postgres error as the engine raised it: SQLSTATE, detail and the constraint it names. */
export interface EngineError {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
}

export type EngineResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: EngineError };

export interface QueryResult<R = Record<string, unknown>> {
  rows: R[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows: number;
}
