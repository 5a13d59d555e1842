import { parseShell } from './shell-syntax';

/** CLIs whose commands, written inline in prose, are offered as optional steps. */
const mentionable = new Set([
  'kubectl', 'helm', 'docker', 'docker-compose', 'podman', 'systemctl', 'journalctl', 'redis-cli', 'psql', 'pg_dump', 'pg_restore', 'pg_ctl', 'pg_basebackup', 'pg_isready',
  'patronictl', 'curl', 'wget', 'aws', 'gcloud', 'az', 'git', 'gitlab-ctl', 'gitlab-rake', 'gitlab-psql', 'gitlab-redis-cli', 'sudo', 'consul', 'vault', 'terraform',
]);

/** Inline code spans (`…`) in a paragraph that parse as a command of a known CLI, with their line offset. */
export function mentionedCommands(markdown: string): { code: string; lineOffset: number }[] {
  const found: { code: string; lineOffset: number }[] = [];
  for (const m of markdown.matchAll(/(?<!`)`([^`\n]{4,300})`(?!`)/g)) {
    const code = m[1]!.trim().replace(/^\$\s+/, '');
    const words = code.split(/\s+/);
    if (words.length < 2 || !mentionable.has(words[0]!)) continue;
    try {
      if (parseShell(code).calls.length === 0) continue;
    } catch {
      continue;
    }
    found.push({ code, lineOffset: markdown.slice(0, m.index).split('\n').length - 1 });
  }
  return found;
}
