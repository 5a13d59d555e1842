import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerDataTools } from './data-tools';
import { registerIncidentTools } from './incident-tools';
import { registerSchemaTools } from './schema-tools';
import { registerRunbookTools } from './runbook-tools';
import { defaultLimits, type AssistantLimits } from './limits';
import { AssistantSession, type AssistantCore } from './session';

export interface AssistantServerOptions {
  /** Loads the core on first use (see AssistantSessionOptions.loadCore). */
  loadCore(): Promise<AssistantCore>;
  version: string;
  profiles?: string[];
  incidentId?: string;
  limits?: Partial<AssistantLimits>;
}

/**
 * The MCP server an assistant launches (`opsconsole mcp`): a transport over the contract like the
 * CLI. Reads run through the one read path; changes become proposals; every call is recorded.
 */
export function createAssistantServer(options: AssistantServerOptions): McpServer {
  const server = new McpServer(
    { name: 'opsconsole', version: options.version },
    {
      instructions:
        "Ops Console: investigate an incident through the console's guardrails. Start with profiles_list and incident_show. Reads run (sql_read, redis_read, health_run); changes are never run by you: propose them with propose_change for a person to review. Every call is recorded on the incident.",
    },
  );
  const session = new AssistantSession({
    loadCore: options.loadCore,
    check: (core) => checkScope(core, options),
    profiles: options.profiles,
    incidentId: options.incidentId,
    limits: { ...defaultLimits, ...options.limits },
    agent: () => server.server.getClientVersion()?.name ?? 'unknown assistant',
  });
  // The core loads once the assistant has introduced itself: the handshake never waits for it.
  server.server.oninitialized = () => session.warm();
  registerDataTools(server, session);
  registerIncidentTools(server, session);
  registerSchemaTools(server, session);
  registerRunbookTools(server, session);
  return server;
}

/** The incident and the profiles the server was started for must exist: said on every call until fixed. */
async function checkScope(core: AssistantCore, options: AssistantServerOptions): Promise<void> {
  if (options.incidentId !== undefined) await core.invoke('incidents.get', { id: options.incidentId });
  for (const name of options.profiles ?? []) await core.invoke('profiles.get', { name });
}

/** Serves over stdin/stdout until the assistant closes the pipe. */
export async function serveStdio(
  options: AssistantServerOptions,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<void> {
  const server = createAssistantServer(options);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    input.once('end', () => resolve());
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close();
}
