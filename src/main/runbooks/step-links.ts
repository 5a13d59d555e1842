import type { RunbookDiagnostic, RunbookStep } from '../../shared/runbook';
import { parseAddresses, parseCaptures } from '../../shared/runbook-variables';

/**
 * A step's links to the rest of the console, read from its fence: `addresses=` (the health
 * checks it remedies) and `capture=` (the variables it sets from its result). A malformed list
 * is an error on the fence's line; what could be read is kept.
 */
export function stepLinks(attributes: Record<string, string>, line: number, diagnostics: RunbookDiagnostic[]): Pick<RunbookStep, 'addresses' | 'captures'> {
  const links: Pick<RunbookStep, 'addresses' | 'captures'> = {};
  if (attributes.addresses !== undefined) {
    const { ids, problem } = parseAddresses(attributes.addresses);
    if (problem) diagnostics.push({ line, severity: 'error', code: 'bad-fence-attribute', message: problem });
    if (ids.length > 0) links.addresses = ids;
  }
  if (attributes.capture !== undefined) {
    const { captures, problem } = parseCaptures(attributes.capture);
    if (problem) diagnostics.push({ line, severity: 'error', code: 'bad-fence-attribute', message: problem });
    if (captures.length > 0) links.captures = captures;
  }
  return links;
}
