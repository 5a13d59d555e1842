import type { PlanNode } from '../../../shared/contract';

type Raw = Record<string, unknown>;

/** Keys shown as a node's details, in this order, when present. */
const detailKeys = [
  'Index Cond',
  'Recheck Cond',
  'Hash Cond',
  'Merge Cond',
  'Join Filter',
  'Filter',
  'Rows Removed by Filter',
  'Rows Removed by Join Filter',
  'Sort Key',
  'Sort Method',
  'Group Key',
  'Output',
  'Heap Fetches',
  'Workers Planned',
  'Workers Launched',
];

/** A node is marked costly from this share of the whole plan's own cost or time. */
const costlyShare = 0.2;

const num = (value: unknown) => (typeof value === 'number' ? value : 0);

function targetOf(raw: Raw): string | undefined {
  const parts: string[] = [];
  if (raw['Join Type']) parts.push(`${String(raw['Join Type']).toLowerCase()} join`);
  if (raw['Index Name']) parts.push(`using ${String(raw['Index Name'])}`);
  if (raw['Relation Name'])
    parts.push(
      `on ${raw.Schema ? `${String(raw.Schema)}.` : ''}${String(raw['Relation Name'])}${raw.Alias && raw.Alias !== raw['Relation Name'] ? ` ${String(raw.Alias)}` : ''}`,
    );
  if (raw['CTE Name']) parts.push(`on CTE ${String(raw['CTE Name'])}`);
  if (raw['Function Name']) parts.push(`on ${String(raw['Function Name'])}()`);
  return parts.length ? parts.join(' ') : undefined;
}

function detailsOf(raw: Raw): string[] {
  return detailKeys
    .filter((key) => raw[key] !== undefined)
    .map((key) => `${key}: ${Array.isArray(raw[key]) ? (raw[key] as unknown[]).join(', ') : String(raw[key])}`);
}

function nodeOf(raw: Raw, analyzed: boolean): PlanNode {
  const children = ((raw.Plans as Raw[] | undefined) ?? []).map((child) => nodeOf(child, analyzed));
  const totalCost = num(raw['Total Cost']);
  const node: PlanNode = {
    nodeType: String(raw['Node Type'] ?? '?'),
    startupCost: num(raw['Startup Cost']),
    totalCost,
    planRows: num(raw['Plan Rows']),
    selfCost: Math.max(0, totalCost - children.reduce((sum, c) => sum + c.totalCost, 0)),
    costly: false,
    details: detailsOf(raw),
    children,
  };
  const target = targetOf(raw);
  if (target) node.target = target;
  if (analyzed && raw['Actual Loops'] !== undefined) {
    node.actualRows = num(raw['Actual Rows']);
    node.actualLoops = num(raw['Actual Loops']);
    // Actual Total Time is per loop: the node's whole time is that times its loops.
    node.actualMs = num(raw['Actual Total Time']) * node.actualLoops;
    node.selfMs = Math.max(0, node.actualMs - children.reduce((sum, c) => sum + (c.actualMs ?? 0), 0));
  }
  return node;
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

/** Marks the costliest nodes: the one with the most own time (or cost), and any with a fifth of the total or more. */
function markCostly(root: PlanNode, analyzed: boolean): void {
  const nodes = [...walk(root)];
  const own = (n: PlanNode) => (analyzed ? (n.selfMs ?? 0) : n.selfCost);
  const total = nodes.reduce((sum, n) => sum + own(n), 0);
  if (total <= 0) return;
  const top = nodes.reduce((a, b) => (own(b) > own(a) ? b : a));
  for (const node of nodes) node.costly = node === top || own(node) / total >= costlyShare;
}

/** The tree of `EXPLAIN (FORMAT JSON)`'s first (only) plan, with own costs and the costliest marked. */
export function planTree(
  json: unknown,
  analyzed: boolean,
): { root: PlanNode; planningMs?: number; executionMs?: number } {
  const doc = (Array.isArray(json) ? json[0] : json) as Raw | undefined;
  if (!doc || typeof doc.Plan !== 'object') throw new Error('EXPLAIN returned no plan');
  const root = nodeOf(doc.Plan as Raw, analyzed);
  markCostly(root, analyzed);
  return {
    root,
    ...(doc['Planning Time'] !== undefined ? { planningMs: num(doc['Planning Time']) } : {}),
    ...(doc['Execution Time'] !== undefined ? { executionMs: num(doc['Execution Time']) } : {}),
  };
}

const fixed = (n: number) => n.toFixed(2);

/** The plan as indented text, close to psql's, with the costliest nodes starred. */
export function planText(root: PlanNode, timing: { planningMs?: number; executionMs?: number } = {}): string {
  const lines: string[] = [];
  const visit = (node: PlanNode, depth: number) => {
    const pad = depth === 0 ? '' : `${'      '.repeat(depth - 1)}  ->  `;
    const actual =
      node.actualLoops !== undefined
        ? ` (actual time=${fixed((node.actualMs ?? 0) / Math.max(1, node.actualLoops))} rows=${node.actualRows} loops=${node.actualLoops})`
        : '';
    lines.push(
      `${node.costly ? '* ' : ''}${pad}${node.nodeType}${node.target ? ` ${node.target}` : ''}  (cost=${fixed(node.startupCost)}..${fixed(node.totalCost)} rows=${node.planRows})${actual}`,
    );
    for (const detail of node.details) lines.push(`${' '.repeat(pad.length + (node.costly ? 2 : 0) + 6)}${detail}`);
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(root, 0);
  if (timing.planningMs !== undefined) lines.push(`Planning Time: ${fixed(timing.planningMs)} ms`);
  if (timing.executionMs !== undefined) lines.push(`Execution Time: ${fixed(timing.executionMs)} ms`);
  return lines.join('\n');
}
