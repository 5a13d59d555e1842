import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type MarkdownIt from 'markdown-it';
import type * as Pg from 'pg';
import type * as PgCopyStreams from 'pg-copy-streams';
import type * as Ssh2 from 'ssh2';
import type * as Yaml from 'yaml';

// The network drivers and the document parsers (YAML, markdown) are loaded by their first use,
// not when the core starts: together they are about a third of a CLI command's start-up (ioredis
// alone ~100 ms), and the commands that only read the local store (incident list, profiles list,
// settings) use none of them. Node's module cache makes every later call the same object.
const load = createRequire(import.meta.url);

let ssh2: typeof Ssh2 | undefined;
let pg: typeof Pg | undefined;
let ioredis: typeof IoRedis | undefined;
let yaml: typeof Yaml | undefined;
let copyStreams: typeof PgCopyStreams | undefined;
let markdownIt: typeof MarkdownIt | undefined;

export const ssh2Driver = (): typeof Ssh2 => (ssh2 ??= load('ssh2') as typeof Ssh2);
export const pgDriver = (): typeof Pg => (pg ??= load('pg') as typeof Pg);
export const redisDriver = (): typeof IoRedis => (ioredis ??= load('ioredis') as typeof IoRedis);
export const yamlParser = (): typeof Yaml => (yaml ??= load('yaml') as typeof Yaml);
export const pgCopyStreams = (): typeof PgCopyStreams =>
  (copyStreams ??= load('pg-copy-streams') as typeof PgCopyStreams);
export const markdownParser = (): typeof MarkdownIt => (markdownIt ??= load('markdown-it') as typeof MarkdownIt);
