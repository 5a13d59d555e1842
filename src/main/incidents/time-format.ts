/** Timestamps as the report shows them: UTC first, then the operator's zone. */
export class TimeFormatter {
  private readonly local: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.local = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  }

  /** "2026-11-23 13:02:11 UTC" */
  utc(iso: string): string {
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  }

  /** Local date and minute per UTC minute: zone offsets are whole minutes, so seconds carry over. */
  private readonly minutes = new Map<string, { prefix: string; zone: string }>();

  /** "2026-11-23 14:02:11 CET" in the operator's zone. */
  zoned(iso: string): string {
    const minute = iso.slice(0, 16);
    let local = this.minutes.get(minute);
    if (!local) {
      const parts = Object.fromEntries(
        this.local.formatToParts(new Date(`${minute}:00Z`)).map((p) => [p.type, p.value]),
      );
      local = {
        prefix: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`,
        zone: parts.timeZoneName ?? this.timeZone,
      };
      this.minutes.set(minute, local);
    }
    return `${local.prefix}:${iso.slice(17, 19)} ${local.zone}`;
  }
}

/** The operator's zone: TZ when set, else what the OS reports. */
export function operatorTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export { formatDuration } from '../../shared/incident-summary';
