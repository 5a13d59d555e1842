import { z } from 'zod';
import { patternProblem } from './template-pattern';

import type { RiskLevel } from './risk';

/** Risk of a step or statement, on the classifiers' scale (src/shared/risk.ts). */
export type Risk = RiskLevel;

/** `reference`: a block in another language (python, yaml…), shown and classified, never run. */
export const stepKinds = ['sql', 'redis', 'shell', 'http', 'checklist', 'reference'] as const;
export type StepKind = (typeof stepKinds)[number];

/** Where a step runs: the profile's Postgres or Redis, the terminal, an HTTP call, or nowhere (checklists). */
export const stepTargets = ['postgres', 'redis', 'terminal', 'http'] as const;
export type StepTarget = (typeof stepTargets)[number] | null;

export const parameterTypes = [
  'string',
  'int',
  'number',
  'boolean',
  'enum',
  'identifier',
  'interval',
  'timestamp',
] as const;
export type ParameterType = (typeof parameterTypes)[number];

/** One parameter the operator fills once per run; secrets are masked everywhere. */
export interface RunbookParameter {
  name: string;
  type: ParameterType;
  secret: boolean;
  /** Declared in frontmatter, or inferred from a placeholder's name. */
  source: 'frontmatter' | 'placeholder';
  /** False when neither frontmatter nor the name says what the value is (lint warns). */
  typed: boolean;
  default?: string | number | boolean;
  enum?: string[];
  pattern?: string;
  description?: string;
  /** The placeholders as written in the runbook: `<admin_token>`, `$USER_ID`, `:pid`… */
  placeholders: string[];
  /**
   * Why the frontmatter's rules for this parameter could not be read (its declaration, or the
   * whole frontmatter, has an error naming the field and the fix): no value passes until fixed.
   */
  unusable?: string;
}

/** One SQL statement, Redis command, or the command itself for shell and HTTP steps. */
export interface RunbookStatement {
  text: string;
  risk: Risk;
  reasons: string[];
}

/** Connection details written in the runbook: understood, never used to connect (the profile is). */
export interface StepConnection {
  /** The client as written: psql, redis-cli, mysql, sqlite3, wrangler d1… */
  client: string;
  /** docker exec / kubectl exec / docker compose exec wrapper, with its container. */
  via?: { tool: string; container: string };
  /** Flags such as host, port, user, dbname, db (Redis). */
  flags: Record<string, string>;
  /** Connection variables ($DATABASE_URL, $PGHOST, $REDIS_URL…) that map to the profile. */
  profileVariables: string[];
}

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  body?: string;
}

/** A parameterised SQL text ready for binding: each `$n` is `parameters[n-1]`. */
export interface QueryTemplate {
  sql: string;
  parameters: string[];
}

export interface RunbookStep {
  /** The fence's `name` attribute, else `<section-slug>-<n>`: stable across runs. */
  id: string;
  /** 1-based line of the command in the file. */
  line: number;
  endLine: number;
  /** Heading path below the document title. */
  section: string[];
  kind: StepKind;
  target: StepTarget;
  /** What runs: the SQL, the Redis command line, the shell command, the curl line, the checklist item. */
  text: string;
  statements: RunbookStatement[];
  risk: Risk;
  parameters: { name: string; type: ParameterType; secret: boolean }[];
  /** A comment or sentence that introduces the step (`# Check active connections`). */
  title?: string;
  /** The fence language as written, or null for a checklist item. */
  language: string | null;
  /** Fence attributes in the Runme style: {name=… target=… confirm=true}. */
  attributes: Record<string, string>;
  /** The operator must confirm before it runs (fence `confirm=true`, or a dangerous step). */
  confirm: boolean;
  /** Things the importer noticed: output piped to grep, a redirect, connection flags ignored… */
  notes: string[];
  connection?: StepConnection;
  /** For SQL not meant for Postgres (mysql, sqlite3, wrangler d1…). */
  engine?: string;
  http?: HttpRequestSpec;
  /** Redis commands as argument arrays. */
  redis?: string[][];
  /**
   * SQL steps that parse: the SQL to send (psql meta-commands left out), with `$n` bind markers
   * for its parameters (never pasted values); `parameters` is empty when it has none.
   */
  template?: QueryTemplate;
  /** Checklist items: ticked in the file (`- [x]`). */
  checked?: boolean;
  /** Output the runbook shows for this command (transcript lines without a prompt, an "Output:" block): never run. */
  expectedOutput?: string;
  /** Where it runs when not in the operator's own shell: inside an interactive hop (`kubectl exec db-0 (bash)`, `ssh bastion`, psql's prompt). */
  runsIn?: string;
  /** A whole script (shebang, variables, loops, functions, heredocs): run as one script in one shell. */
  script?: boolean;
  /** Each command found in a shell step (pipelines, `$(…)`, `sh -c`, xargs…), with its own risk: the worst decides. */
  commands?: RunbookStatement[];
  /** Found as inline code in the prose, not in a block: offered as an optional step. */
  mentioned?: boolean;
  /** An unlabelled fence: what the importer took it for, and how sure it is (0–1). */
  sniffed?: { language: 'sql' | 'redis' | 'shell'; confidence: number };
  /** Health check ids this step remedies (fence `addresses=pg.blocking-locks,…`): a finding offers it as its next step. */
  addresses?: string[];
  /** Variables set from the first result row after the step runs (fence `capture=pid` or `capture=pid:blocker_pid`). */
  captures?: StepCapture[];
}

/** `capture=NAME[:COLUMN]`: after the step runs, variable `name` takes the first row's value of `column`. */
export interface StepCapture {
  name: string;
  /** The result column; the variable's own name when not written. */
  column: string;
}

/** A runbook-level variable (frontmatter `variables:`): shared by every step, set by a capture or typed. */
export interface RunbookVariable {
  name: string;
  default?: string;
  description?: string;
}

export type CalloutKind = 'note' | 'tip' | 'important' | 'warning' | 'caution';

/** What the panel shows, in document order; steps are referenced by id. */
export type RunbookBlock =
  | { type: 'prose'; line: number; markdown: string }
  | { type: 'callout'; line: number; kind: CalloutKind; markdown: string }
  | { type: 'table'; line: number; header: string[]; rows: string[][] }
  | { type: 'code'; line: number; language: string | null; text: string; stepIds: string[] }
  | { type: 'checklist'; line: number; stepIds: string[] };

export interface RunbookSection {
  /** GitHub-style anchor slug of the heading (deduplicated with -1, -2…); '' for the preamble. */
  slug: string;
  heading: string;
  level: number;
  path: string[];
  line: number;
  blocks: RunbookBlock[];
}

export type DiagnosticSeverity = 'error' | 'warning';

export interface RunbookDiagnostic {
  line: number;
  severity: DiagnosticSeverity;
  code: string;
  message: string;
}

export interface RunbookMetadata {
  service?: string;
  owners: string[];
  environments: string[];
  tags: string[];
  description?: string;
}

export interface RunbookPlan {
  title: string;
  path?: string;
  metadata: RunbookMetadata;
  parameters: RunbookParameter[];
  /** Runbook-level variables declared in the frontmatter (captures add theirs at run time). */
  variables?: RunbookVariable[];
  sections: RunbookSection[];
  steps: RunbookStep[];
  /** Import-time findings (bad frontmatter, unknown fence attributes, SQL that does not parse). */
  diagnostics: RunbookDiagnostic[];
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A parameter declared in frontmatter. */
export const frontmatterParameterSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be a name made of letters, digits, _ and -'),
    type: z.enum(parameterTypes).default('string'),
    default: scalar.optional(),
    enum: z.array(z.string()).optional(),
    pattern: z.string().optional(),
    secret: z.boolean().default(false),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((param, ctx) => {
    // A pattern no engine can run would check nothing: refused here, never skipped when a value is checked.
    const problem = param.pattern === undefined ? null : patternProblem(param.pattern);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `(parameter ${param.name}) ${problem}: fix the pattern or remove it`,
      });
  });

const variableName = z
  .string()
  .regex(/^[A-Za-z_][\w-]{0,62}$/, 'must be a name made of letters, digits, _ and - (at most 63)');

/** A variable declared in frontmatter: `- pid` or `- {name: pid, default: "42", description: …}`. */
export const frontmatterVariableSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z
    .object({
      name: variableName,
      default: scalar.transform(String).optional(),
      description: z.string().max(1000).optional(),
    })
    .strict(),
);

const stringList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

/** Frontmatter of a runbook written for the console; other keys are kept but not used. */
export const runbookFrontmatterSchema = z.looseObject({
  title: z.string().optional(),
  service: z.string().optional(),
  owners: stringList.optional(),
  environments: stringList.optional(),
  tags: stringList.optional(),
  description: z.string().optional(),
  parameters: z.array(frontmatterParameterSchema).optional(),
  variables: z.array(frontmatterVariableSchema).max(200).optional(),
});
export type RunbookFrontmatter = z.output<typeof runbookFrontmatterSchema>;

/** Fence attributes the console understands (Runme style); any other is a lint error. */
export const fenceAttributeNames = [
  'name',
  'target',
  'confirm',
  'title',
  'description',
  'interactive',
  'background',
  'cwd',
  'timeout',
  'engine',
  'excludeFromRunAll',
  'controlBytes',
  'addresses',
  'capture',
] as const;
