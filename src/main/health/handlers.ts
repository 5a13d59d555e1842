import type { Handlers } from '../../shared/contract';
import type { HealthRunResult } from '../../shared/health';
import type { HealthService } from './health-service';

/** What the timeline keeps of a health run. */
interface HealthRunRecord {
  profileId: string;
  profileName: string;
  checks: { id: string; status: HealthRunResult['checks'][number]['status']; message: string }[];
  durationMs: number;
}

/**
 * health.checks and health.run. A run goes into the timeline only when its statuses differ from
 * the last one recorded for the profile, so polling every few seconds records changes, not
 * repetitions.
 */
export function healthHandlers(
  health: HealthService,
  record: (run: HealthRunRecord) => void,
): Pick<Handlers, 'health.checks' | 'health.run'> {
  const lastSignature = new Map<string, string>();
  const recordChange = (report: HealthRunResult) => {
    const checks = report.checks.map((c) => ({ id: c.id, status: c.status, message: c.message }));
    const signature = checks.map((c) => `${c.id}=${c.status}`).join(',');
    if (lastSignature.get(report.profileId) !== signature) {
      lastSignature.set(report.profileId, signature);
      record({ profileId: report.profileId, profileName: report.profileName, checks, durationMs: report.durationMs });
    }
    return report;
  };
  return {
    'health.checks': async ({ target, params }) => health.checks(target, params),
    'health.run': async (input) => recordChange(await health.run(input)),
  };
}
