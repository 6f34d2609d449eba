/**
 * The offline hashicorp/aws provider (stacks/offline-terraform/provider-service.ts) as a process of its own, for
 * offline `terraform validate`, `console` and `plan` in the tests: Jest's global setup starts one for every worker.
 *
 *   node --import tsx schema-provider-server.ts --socket /tmp/x/provider.sock \
 *        [--schema <file>] [--parent-pid <pid>]
 *
 * Once listening it prints one stdout line: `READY <TF_REATTACH_PROVIDERS JSON>`.
 * SIGTERM/SIGINT (or the death of --parent-pid) stops it and removes the socket.
 * GUARDRAILS_TF_PROVIDER_LOG=1 logs every RPC to stderr.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCHEMA_FILE, readProviderSchema } from '../../../stacks/offline-terraform/provider-schema';
import { serveOfflineProvider } from '../../../stacks/offline-terraform/provider-service';

function parseOptions() {
  const { values } = parseArgs({
    options: {
      socket: { type: 'string' },
      schema: { type: 'string', default: DEFAULT_SCHEMA_FILE },
      'parent-pid': { type: 'string' },
    },
  });
  if (!values.socket) throw new Error('usage: schema-provider-server --socket <path> [--schema <file>] [--parent-pid <pid>]');
  return {
    socket: path.resolve(values.socket),
    schemaFile: values.schema ?? DEFAULT_SCHEMA_FILE,
    parentPid: values['parent-pid'] ? Number(values['parent-pid']) : undefined,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const log = process.env.GUARDRAILS_TF_PROVIDER_LOG ? (line: string) => process.stderr.write(`[schema-provider] ${line}\n`) : undefined;
  const provider = await serveOfflineProvider(readProviderSchema(options.schemaFile), options.socket, { log });
  const stop = (): void => {
    provider.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (options.parentPid !== undefined) {
    const parentPid = options.parentPid;
    setInterval(() => isAlive(parentPid) || stop(), 1000).unref();
  }
  process.stdout.write(`READY ${provider.reattach}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`schema provider failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
