/** A relation's size as the schema tree shows it. */
export const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(0)} kB`
      : n < 1024 ** 3
        ? `${(n / 1024 ** 2).toFixed(1)} MB`
        : `${(n / 1024 ** 3).toFixed(1)} GB`;
export const rows = (n: number | null) => (n === null ? 'not analysed' : `~${n.toLocaleString()} rows`);
