import { byRiskDescending, reasonCode, riskOfReason, worstRisk, type Reason, type RiskLevel } from '../../shared/risk';
import { qualifiedName, reasonForFunction, reasonForOperator, reasonForType, type QualifiedName } from './functions';
import type { PgNode } from './split';
import { constantString, isTriviallyTrue, optionIsOn, readOnlyOff, readOnlyTurnedOff } from './tree-values';

type Fields = Record<string, unknown>;

/** Names a statement uses that only the server's catalog can resolve (user functions, operators, views, types). */
export interface StatementReferences {
  functions: QualifiedName[];
  operators: QualifiedName[];
  relations: QualifiedName[];
  /** Types the statement casts values to (their input functions, domain checks and casts run). */
  types: QualifiedName[];
}

interface Visit {
  add(reason: string): void;
  refer(kind: keyof StatementReferences, name: QualifiedName): void;
  /** Walks every node under `value`; `inCte` marks a WITH query's body. */
  walk(value: unknown, inCte?: boolean): void;
  /** Walks `value` keeping only the reasons `keep` accepts (names are still referred). */
  walkKeeping(value: unknown, keep: (reason: string) => boolean): void;
  inCte: boolean;
}

type Rule = (fields: Fields, visit: Visit) => void;

const dml =
  (reason: 'insert' | 'merge'): Rule =>
  (fields, visit) => {
    visit.add(reason);
    if (visit.inCte) visit.add('cte_write');
    visit.walk(fields);
  };

const filteredDml =
  (reason: 'update' | 'delete'): Rule =>
  (fields, visit) => {
    const where = fields.whereClause;
    visit.add(where === undefined ? 'no_where' : isTriviallyTrue(where) ? 'where_always_true' : reason);
    if (visit.inCte) visit.add('cte_write');
    visit.walk(fields);
  };

const always =
  (...reasons: string[]): Rule =>
  (fields, visit) => {
    for (const reason of reasons) visit.add(reason);
    visit.walk(fields);
  };

/**
 * Settings the classifier's parse depends on (where a string literal ends): the read path pins
 * them, and a statement that changes them is refused. client_encoding too (SET NAMES is the same
 * parameter): the parser reads the text as UTF-8, and under SJIS, BIG5, GBK, GB18030 or UHC a
 * multibyte character's second byte can be a backslash or a quote, so the server would see a
 * string end where the classifier does not.
 */
const pinnedSettings = new Set([
  'standard_conforming_strings',
  'backslash_quote',
  'escape_string_warning',
  'client_encoding',
]);

const settingNames = {
  readOnly: new Set(['transaction_read_only', 'default_transaction_read_only']),
  identity: new Set(['role', 'session_authorization']),
  unsafe: new Set([
    'session_replication_role',
    'allow_system_table_mods',
    'zero_damaged_pages',
    'ignore_system_indexes',
    'ignore_checksum_failure',
    'ignore_invalid_pages',
  ]),
};

const variableSet: Rule = (fields, visit) => {
  const name = String(fields.name ?? '').toLowerCase();
  const kind = fields.kind;
  if (kind === 'VAR_RESET_ALL') visit.add('read_only_off');
  else if (pinnedSettings.has(name)) visit.add(`pinned_setting:${name}`);
  else if (settingNames.identity.has(name)) visit.add('identity_change');
  else if (settingNames.unsafe.has(name)) visit.add(`unsafe_setting:${name}`);
  else if (settingNames.readOnly.has(name))
    visit.add(kind === 'VAR_SET_VALUE' && !readOnlyTurnedOff(fields.args) ? 'setting' : 'read_only_off');
  else if (kind === 'VAR_SET_MULTI') visit.add(readOnlyOff(fields.args) ? 'read_only_off' : 'setting');
  else visit.add('setting');
  visit.walk(fields.args);
};

/** set_config() of a pinned setting, or of one named only at run time (it could be any), is refused. */
function pinnedSetConfig(nameArg: unknown, visit: Visit): void {
  const setting = constantString(nameArg)?.toLowerCase();
  if (setting === undefined) visit.add('pinned_setting:a setting named at run time');
  else if (pinnedSettings.has(setting)) visit.add(`pinned_setting:${setting}`);
}

const rules: Record<string, Rule> = {
  SelectStmt: (fields, visit) => {
    if (fields.lockingClause) visit.add('row_lock');
    if (fields.intoClause) visit.add('create');
    visit.walk(fields);
  },
  InsertStmt: dml('insert'),
  MergeStmt: dml('merge'),
  UpdateStmt: filteredDml('update'),
  DeleteStmt: filteredDml('delete'),
  CommonTableExpr: (fields, visit) => {
    const { ctequery, ...rest } = fields;
    visit.walk(ctequery, true);
    visit.walk(rest);
  },
  FuncCall: (fields, visit) => {
    const name = qualifiedName(fields.funcname);
    if (name) {
      visit.refer('functions', name);
      const reason = reasonForFunction(name);
      if (reason) visit.add(reason);
      if (name[1] === 'set_config') pinnedSetConfig((fields.args as unknown[] | undefined)?.[0], visit);
    } else visit.add('unknown_function');
    visit.walk(fields);
  },
  TypeCast: (fields, visit) => {
    castTo(fields.typeName, visit);
    visit.walk(fields);
  },
  // `f(…) AS x(a t)` and `ROWS FROM (f(…) AS (a t))`: each column's value is cast to its type.
  RangeFunction: (fields, visit) => {
    forEachNode(fields, 'ColumnDef', (column) => castTo(column.typeName, visit));
    visit.walk(fields);
  },
  RangeTableFuncCol: (fields, visit) => {
    castTo(fields.typeName, visit);
    visit.walk(fields);
  },
  A_Expr: (fields, visit) => {
    // BETWEEN and its kin carry a keyword, not an operator, as their name.
    if (!String(fields.kind ?? '').includes('BETWEEN')) operator(fields.name, visit);
    visit.walk(fields);
  },
  SubLink: (fields, visit) => {
    if (fields.operName) operator(fields.operName, visit);
    visit.walk(fields);
  },
  RangeVar: (fields, visit) => {
    if (typeof fields.relname === 'string')
      visit.refer('relations', [typeof fields.schemaname === 'string' ? fields.schemaname : undefined, fields.relname]);
  },
  ExplainStmt: (fields, visit) => {
    const analyze = ((fields.options as PgNode[] | undefined) ?? []).some((option) => {
      const def = option.DefElem as Fields | undefined;
      return def?.defname === 'analyze' && optionIsOn(def.arg);
    });
    if (!analyze) {
      // Nothing runs, except what the planner evaluates itself (immutable and stable functions,
      // for constant folding and estimates): a function or operator nobody vetted is a run.
      visit.add('explain_only');
      return visit.walkKeeping(fields.query, (reason) => plannerRuns.has(reasonCode(reason) ?? ''));
    }
    visit.add('explain_analyze');
    visit.walk(fields.query);
  },
  CopyStmt: (fields, visit) => {
    if (fields.is_program) visit.add('copy_program');
    else if (fields.filename !== undefined) visit.add('copy_server_file');
    if (fields.is_from) visit.add('copy_from');
    // COPY t TO … reads t as a SELECT would: its row-level security policies run, a foreign table's wrapper too.
    if (fields.relation) visit.walk({ RangeVar: fields.relation });
    visit.walk(fields.query);
    visit.walk(fields.whereClause);
  },
  VacuumStmt: (fields, visit) => {
    const options = (fields.options as PgNode[] | undefined) ?? [];
    const full = options.some((option) => {
      const def = option.DefElem as Fields | undefined;
      return def?.defname === 'full' && optionIsOn(def.arg);
    });
    visit.add(!fields.is_vacuumcmd ? 'analyze' : full ? 'vacuum_full' : 'vacuum');
  },
  ReindexStmt: (fields, visit) => {
    const kind = fields.kind;
    visit.add(kind === 'REINDEX_OBJECT_INDEX' || kind === 'REINDEX_OBJECT_TABLE' ? 'reindex' : 'reindex_wide');
  },
  IndexStmt: (fields, visit) => {
    visit.add(fields.concurrent ? 'create_index_concurrently' : 'create_index');
    visit.walk(fields);
  },
  TransactionStmt: (fields, visit) => {
    visit.add(readOnlyOff(fields.options) ? 'read_only_off' : 'transaction_control');
  },
  VariableSetStmt: variableSet,
  VariableShowStmt: () => {},
  DiscardStmt: (fields, visit) => {
    if (fields.target === 'DISCARD_ALL') {
      visit.add('identity_change');
      visit.add('read_only_off');
    } else visit.add('session_reset');
  },
  AlterTableStmt: (fields, visit) => {
    visit.add('alter');
    for (const cmd of (fields.cmds as PgNode[] | undefined) ?? []) {
      const subtype = (cmd.AlterTableCmd as Fields | undefined)?.subtype;
      if (subtype === 'AT_DropColumn' || subtype === 'AT_DropConstraint') visit.add('drop');
    }
    visit.walk(fields);
  },
  AlterDomainStmt: (fields, visit) => {
    visit.add(fields.subtype === 'X' ? 'drop' : 'alter');
    visit.walk(fields);
  },
  AlterDatabaseSetStmt: (fields, visit) => {
    visit.add('alter');
    if (fields.setstmt) variableSet(fields.setstmt as Fields, visit);
  },
  AlterRoleSetStmt: (fields, visit) => {
    visit.add('alter');
    if (fields.setstmt) variableSet(fields.setstmt as Fields, visit);
  },
  TruncateStmt: always('truncate'),
  ClusterStmt: always('cluster'),
  AlterSystemStmt: always('alter_system'),
  LockStmt: always('lock'),
  DoStmt: always('do_block'),
  CallStmt: always('call'),
  LoadStmt: always('load_library'),
  ExecuteStmt: always('execute_prepared'),
  // The prepared statement outlives the transaction (session state), and EXECUTE is unknown anyway.
  PrepareStmt: always('prepare', 'session_reset'),
  NotifyStmt: always('notify'),
  ListenStmt: always('session_reset'),
  UnlistenStmt: always('session_reset'),
  DeallocateStmt: always('session_reset'),
  ConstraintsSetStmt: always('setting'),
  CheckPointStmt: always('checkpoint'),
  RefreshMatViewStmt: always('refresh_materialized_view'),
  GrantStmt: always('grant'),
  GrantRoleStmt: always('grant'),
  AlterDefaultPrivilegesStmt: always('grant'),
  DropOwnedStmt: always('drop'),
  CreateTableAsStmt: always('create'),
  ViewStmt: always('create'),
  RuleStmt: always('create'),
  DefineStmt: always('create'),
  CompositeTypeStmt: always('create'),
  ImportForeignSchemaStmt: always('create'),
  RenameStmt: always('alter'),
  CommentStmt: always('alter'),
  SecLabelStmt: always('alter'),
  ReassignOwnedStmt: always('alter'),
  ReplicaIdentityStmt: always('alter'),
  DeclareCursorStmt: (fields, visit) => {
    // WITH HOLD (CURSOR_OPT_HOLD): the cursor outlives a committed transaction, session state.
    if ((Number(fields.options ?? 0) & 0x20) !== 0) visit.add('session_reset');
    visit.walk(fields.query);
  },
  FetchStmt: always(),
  ClosePortalStmt: always(),
};

/**
 * Reasons whose code EXPLAIN without ANALYZE may still run while planning: the planner folds and
 * estimates immutable and stable functions, and table_to_xml, schema_to_xml, database_to_xml and
 * their kin are stable functions that run SQL (dynamic_sql); a cast of a constant is folded too
 * (unknown_type). Every other denied built-in is volatile, which the planner never calls.
 */
const plannerRuns = new Set(['unknown_function', 'unknown_operator', 'unknown_type', 'too_complex', 'dynamic_sql']);

/** A cast to a type (an array of it counts as the type): built-ins by the list, others by the catalog. */
function castTo(typeName: unknown, visit: Visit): void {
  const name = qualifiedName((typeName as Fields | undefined)?.names);
  if (!name) return;
  visit.refer('types', name);
  const reason = reasonForType(name);
  if (reason) visit.add(reason);
}

/** Calls `found` with the fields of every `type` node under `value`. */
function forEachNode(value: unknown, type: string, found: (fields: Fields) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((item) => forEachNode(item, type, found));
  for (const [key, child] of Object.entries(value as Fields)) {
    if (key === type && child && typeof child === 'object') found(child as Fields);
    forEachNode(child, type, found);
  }
}

function operator(names: unknown, visit: Visit): void {
  const name = qualifiedName(names);
  if (!name) return;
  visit.refer('operators', name);
  const reason = reasonForOperator(name);
  if (reason) visit.add(reason);
}

const ruleCache = new Map<string, Rule | null>();

/** Statement kinds known by name pattern: every CREATE …, ALTER … and DROP … has its own node type. */
function ruleFor(type: string): Rule | undefined {
  let rule = ruleCache.get(type);
  if (rule === undefined) {
    rule = rules[type] ?? patternRule(type) ?? null;
    ruleCache.set(type, rule);
  }
  return rule ?? undefined;
}

function patternRule(type: string): Rule | undefined {
  if (!type.endsWith('Stmt')) return undefined;
  if (type.startsWith('Drop')) return always('drop');
  if (type.startsWith('Create')) return always('create');
  if (type.startsWith('Alter')) return always('alter');
  return undefined;
}

/**
 * Classifies one parsed statement by walking its whole tree: nested statements (CTEs, EXPLAIN
 * ANALYZE, COPY (query)), function calls anywhere and locking clauses in subqueries all count.
 */
export function classifyStatementNode(node: PgNode): {
  risk: RiskLevel;
  reasons: Reason[];
  references: StatementReferences;
} {
  const reasons = new Set<string>();
  const references: StatementReferences = { functions: [], operators: [], relations: [], types: [] };
  let keep: ((reason: string) => boolean) | undefined;
  const walk = (value: unknown, inCte: boolean): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, inCte);
      return;
    }
    const fields = value as Fields;
    for (const key in fields) {
      const child = fields[key];
      if (child === null || typeof child !== 'object') continue;
      const rule = isNodeType(key) ? ruleFor(key) : undefined;
      if (rule) rule(child as Fields, inCte ? inCteVisit : topVisit);
      else walk(child, inCte);
    }
  };
  const visit = (inCte: boolean): Visit => ({
    inCte,
    add: (reason) => (!keep || keep(reason)) && reasons.add(reason),
    refer: (kind, name) => references[kind].push(name),
    walk: (value, cte = false) => walk(value, cte),
    walkKeeping: (value, only) => {
      const outer = keep;
      keep = only;
      try {
        walk(value, inCte);
      } finally {
        keep = outer;
      }
    },
  });
  const topVisit = visit(false);
  const inCteVisit = visit(true);

  const [type] = Object.keys(node);
  if (!type || !ruleFor(type)) reasons.add('unrecognized_statement');
  try {
    walk(node, false);
  } catch (error) {
    // A tree deeper than the JavaScript stack: answer, never crash, and never call it a read.
    if (!(error instanceof RangeError)) throw error;
    reasons.add('too_complex');
  }
  const list = byRiskDescending(reasons) as Reason[];
  return { risk: worstRisk(list.map(riskOfReason)), reasons: list, references };
}

function isNodeType(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 65 && first <= 90;
}
