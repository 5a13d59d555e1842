import type { HealthTrendPoint } from '../../store/health-slice';

interface Props {
  points: HealthTrendPoint[];
  label: string;
  width?: number;
  height?: number;
}

/** A small trend line of a numeric check over successive runs (drawn once there are two points). */
export function Sparkline({ points, label, width = 96, height = 24 }: Props) {
  if (points.length < 2) return <span className="health-trend-empty" aria-hidden="true" />;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 2;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (points.length - 1);
  const y = (v: number) => height - pad - ((v - min) * (height - 2 * pad)) / span;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = points.at(-1)!;
  const description = `${label}: ${points.length} runs, from ${min} to ${max}, latest ${last.value}`;
  return (
    <svg
      className="health-trend"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={description}
      data-testid="health-trend"
      data-points={points.length}
    >
      <title>{description}</title>
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={x(points.length - 1)} cy={y(last.value)} r="2" fill="currentColor" />
    </svg>
  );
}
