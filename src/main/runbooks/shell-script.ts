import { shellStep } from './shell-step';
import { parseShell, ShellSyntaxError, type ShellTree } from './shell-syntax';
import { interactiveShell, leavesOf } from './shell-wrappers';
import type { StepDraft } from './step-draft';

/**
 * A block that only works as a whole (a shebang, functions, variables set then used, `set -e`) is
 * one step, run as one script in one shell and judged by its worst command; null for a block of
 * independent commands, which become one step each.
 */
export function scriptStep(text: string, lines: string[]): StepDraft | null {
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return null;
  const shebang = lines[first]!.startsWith('#!');
  // Parsing the whole block is costly: only when the text hints at shared state.
  if (!shebang && !mayShareState(text)) return null;
  let tree: ShellTree;
  try {
    tree = parseShell(text);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return null;
    throw error;
  }
  if (!shebang && (tree.statements.length < 2 || !sharesState(tree))) return null;
  const body = lines.slice(first).join('\n').trimEnd();
  const step = shellStep(body, first, lines.length, []);
  step.script = true;
  step.placeholderText = body;
  step.notes.push('kept whole: it runs as one script in one shell, so its variables and functions carry from line to line');
  const title = lines.slice(shebang ? first + 1 : first).find((l) => l.trim() !== '');
  if (title?.trim().startsWith('#') && !title.startsWith('#!')) step.title = title.trim().replace(/^#+\s*/, '');
  return step;
}

function mayShareState(text: string): boolean {
  if (/^\s*set\s+-[euxo]|^\s*(function\s+\w+|\w+\s*\(\)\s*\{?)/m.test(text)) return true;
  const names = [...text.matchAll(/^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w*)=|\b(?:read\s+(?:-\w+\s+)*|for\s+)([A-Za-z_]\w*)/gm)].map((m) => m[1] ?? m[2]!);
  return names.some((name) => new RegExp(`\\$\\{?${name}\\b`).test(text));
}

/** Later statements depend on earlier ones: a function called, a variable used, `set -e`. */
function sharesState(tree: ShellTree): boolean {
  if (tree.features.has('function')) return true;
  const texts = tree.statements.map((s) => s.text);
  if (texts.some((t) => /^set\s+-[euxo]/.test(t))) return true;
  return texts.some((t, i) => {
    const names = [...t.matchAll(/^(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w*)=/gm), ...t.matchAll(/\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)/g), ...t.matchAll(/\bfor\s+([A-Za-z_]\w*)\s+in\b/g)].map((m) => m[1]!);
    return names.some((name) => texts.slice(i + 1).some((later) => new RegExp(`\\$\\{?${name}\\b`).test(later)));
  });
}

/** The session a command opens for the lines after it (`kubectl exec db-0 (bash)`, `ssh bastion`), else undefined. */
export function hopOf(command: string): string | undefined {
  let tree: ShellTree;
  try {
    tree = parseShell(command);
  } catch {
    return undefined;
  }
  if (tree.calls.length !== 1 || tree.features.has('pipeline') || tree.features.has('list')) return undefined;
  const call = tree.calls[0]!;
  const direct = interactiveShell(call.argv);
  if (direct) return direct;
  const leaf = leavesOf(call).at(-1);
  const shell = leaf && leaf.via.length > 0 ? interactiveShell(leaf.argv) : undefined;
  return shell ? `${leaf!.via.join(' → ')} (${shell})` : undefined;
}
