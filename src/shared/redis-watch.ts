/** Commands that take a connection over to stream messages: run only on a dedicated connection (redis.watch). */
export const watchCommands = ['subscribe', 'psubscribe', 'ssubscribe', 'monitor'] as const;

/** Whether `argv` is a command redis.watch runs (the UI offers a watch when the shared client refuses it). */
export function isWatchCommand(argv: readonly string[]): boolean {
  const name = argv[0]?.toLowerCase() ?? '';
  return (watchCommands as readonly string[]).includes(name);
}
