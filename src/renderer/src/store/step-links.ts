import type { StepLink } from '../../../shared/contract';
import { transport } from './transport-ref';

/** Steps per check, fetched once until the library changes (onRunbooksChanged empties it). */
const linkCache = new Map<string, Promise<StepLink[]>>();

/** A runbook folder changed: the steps that address each check are looked up again. */
export function forgetStepLinks(): void {
  linkCache.clear();
}

/** The library steps that address a check (read-only first), from the cache when asked before. */
export function linksFor(checkId: string): Promise<StepLink[]> {
  let links = linkCache.get(checkId);
  if (!links) {
    links = transport().invoke('runbooks.stepsAddressing', { checks: [checkId] });
    links.catch(() => linkCache.delete(checkId));
    linkCache.set(checkId, links);
  }
  return links;
}
