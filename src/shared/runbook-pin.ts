/** What a pinned runbook step records and how its age reads: shared by the core, the report and the renderer. */

/** The commit of a step read from a plain folder, or from a source file with edits not yet committed. */
export const uncommitted = 'local, uncommitted';

/** "updated 3 h ago" for a time, or "never updated". */
export function describeAge(at: string | null | undefined, now: Date): string {
  if (!at) return 'never updated';
  return `updated ${ageText(now.getTime() - Date.parse(at))} ago`;
}

export function ageText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

export function shortCommit(commit: string): string {
  return /^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit;
}

/** A line diff (longest common subsequence): steps are short, so the quadratic table is fine. */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) (out.push(`  ${a[i++]}`), j++);
    // Removed lines before added ones, as diff(1) prints them.
    else if (i < a.length && (j === b.length || table[i + 1]![j]! >= table[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.join('\n');
}
