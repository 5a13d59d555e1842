import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Core } from '../main/core';
import { registerDataTools } from './data-tools';
import { registerIncidentTools } from './incident-tools';
import { registerSchemaTools } from './schema-tools';
import { defaultLimits, type AssistantLimits } from './limits';
import { AssistantSession } from './session';

export interface AssistantServerOptions {
  core: Core;
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
    { instructions: 'Ops Console: investigate an incident through the console\'s guardrails. Start with profiles_list and incident_show. Reads run (sql_read, redis_read, health_run); changes are never run by you: propose them with propose_change for a person to review. Every call is recorded on the incident.' },
  );
  const session = new AssistantSession({
    core: options.core,
    profiles: options.profiles,
    incidentId: options.incidentId,
    limits: { ...defaultLimits, ...options.limits },
    agent: () => server.server.getClientVersion()?.name ?? 'unknown assistant',
  });
  registerDataTools(server, session);
  registerIncidentTools(server, session);
  registerSchemaTools(server, session);
  return server;
}

/** Serves over stdin/stdout until the assistant closes the pipe. */
export async function serveStdio(options: AssistantServerOptions, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const server = createAssistantServer(options);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    input.once('end', () => resolve());
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close();
}
