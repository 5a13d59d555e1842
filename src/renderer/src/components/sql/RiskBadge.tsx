import { reasonCatalog, reasonCode, type RiskLevel } from '../../../../shared/risk';

/** The risk level as a coloured badge (read … dangerous). */
export function RiskBadge({ risk, testId }: { risk: RiskLevel; testId?: string }) {
  return (
    <span className={`risk risk-${risk}`} data-testid={testId}>
      {risk}
    </span>
  );
}

/** Reason codes with their meaning; dangerous ones in red. */
export function ReasonList({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons">
      {reasons.map((reason) => {
        const code = reasonCode(reason);
        const info = code ? reasonCatalog[code] : undefined;
        const detail = reason.includes(':') ? reason.slice(reason.indexOf(':') + 1) : '';
        return (
          <li
            key={reason}
            className={info?.risk === 'dangerous' ? 'reason-dangerous' : undefined}
            data-testid="sql-reason"
          >
            <code>{code ?? reason}</code>
            {detail && ` (${detail})`}: {info?.meaning ?? reason}
          </li>
        );
      })}
    </ul>
  );
}
