import type { HttpRequestSpec, RunbookStatement, StepConnection, StepKind, StepTarget } from '../../shared/runbook';

/**
 * A step as read from one fenced block, before ids, sections, SQL classification and
 * parameters are attached by the importer.
 */
export interface StepDraft {
  /** 0-based offset of the first line inside the fence's content. */
  offset: number;
  endOffset: number;
  kind: StepKind;
  target: StepTarget;
  text: string;
  title?: string;
  notes: string[];
  /** Known before classification: shell commands, Redis commands, HTTP calls, psql meta-commands. */
  statements: RunbookStatement[];
  /** SQL the classifier must judge; for SQL steps it gives the statements, for shell steps the worst risk. */
  sql?: { text: string; role: 'statements' | 'embedded' };
  connection?: StepConnection;
  engine?: string;
  http?: HttpRequestSpec;
  redis?: string[][];
  /** psql -v name=value: defaults for :name placeholders. */
  variables?: Record<string, string>;
  /** Placeholders are looked for in this text (the command as written). */
  placeholderText: string;
  expectedOutput?: string;
  runsIn?: string;
  script?: boolean;
  commands?: RunbookStatement[];
  sniffed?: { language: 'sql' | 'redis' | 'shell'; confidence: number };
}

/** Display-only psql meta-commands: they change how results look, not what runs. */
export const displayMetaCommands = /^\\(x|timing|pset|a|t|H|f|C|T|encoding|echo|qecho|set|unset|pager|o|g|gx|gset|conninfo|copyright|\?|h)\b/;

/** psql meta-commands that describe the catalog (\dt, \d table, \l…): read. */
export const describeMetaCommands = /^\\(d[a-zA-Z+]*|l\+?|list|dn|du|dp|sf|sv|z)\b/;
