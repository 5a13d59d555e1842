import type { RedisInfoSection } from './contract/redis-browser';

/** INFO text as one table per `# Section` (fields before any heading go to "Info"). */
export function infoSections(text: string): RedisInfoSection[] {
  const sections: RedisInfoSection[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) sections.push({ name: line.replace(/^#\s*/, ''), rows: [] });
    else if (line.includes(':')) {
      if (sections.length === 0) sections.push({ name: 'Info', rows: [] });
      const at = line.indexOf(':');
      sections.at(-1)!.rows.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return sections;
}
