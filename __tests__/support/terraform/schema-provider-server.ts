/**
 * The offline hashicorp/aws provider (stacks/offline-terraform/provider-service.ts) as a process of its own, for
 * offline `terraform validate`, `console` and `plan` in the tests: Jest's global setup starts one for every worker.
 *
 *   node --import tsx schema-provider-server.ts --socket /tmp/x/provider.sock \
 *        [--schema <file>] [--parent-pid <pid>] [--all-types]
 *
 * It serves the resource and data source types of the AWS services this project uses (test-schema.ts), unless
 * --all-types is given: Terraform decodes the whole schema on every command, and a tenth of it is as strict for
 * these types and several times faster.
 *
 * Once listening it prints one stdout line: `READY <TF_REATTACH_PROVIDERS JSON>`.
 * SIGTERM/SIGINT (or the death of --parent-pid) stops it and removes the socket.
 * GUARDRAILS_TF_PROVIDER_LOG=1 logs every RPC to stderr.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCHEMA_FILE, readProviderSchema } from '../../../stacks/offline-terraform/provider-schema';
import { serveOfflineProvider } from '../../../stacks/offline-terraform/provider-service';
import { schemaOfProjectServices } from './test-schema';
import { isRunning } from '../../../stacks/output/process-identity';

function parseOptions() {
  const { values } = parseArgs({
    options: {
      socket: { type: 'string' },
      schema: { type: 'string', default: DEFAULT_SCHEMA_FILE },
      'parent-pid': { type: 'string' },
      'all-types': { type: 'boolean', default: false },
    },
  });
  if (!values.socket) throw new Error('usage: schema-provider-server --socket <path> [--schema <file>] [--parent-pid <pid>]');
  return {
    socket: path.resolve(values.socket),
    schemaFile: values.schema ?? DEFAULT_SCHEMA_FILE,
    parentPid: values['parent-pid'] ? Number(values['parent-pid']) : undefined,
    allTypes: values['all-types'] ?? false,
  };
}


async function main(): Promise<void> {
  const options = parseOptions();
  const log = process.env.GUARDRAILS_TF_PROVIDER_LOG ? (line: string) => process.stderr.write(`[schema-provider] ${line}\n`) : undefined;
  const schema = readProviderSchema(options.schemaFile);
  const provider = await serveOfflineProvider(options.allTypes ? schema : schemaOfProjectServices(schema), options.socket, { log });
  const stop = (): void => {
    provider.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (options.parentPid !== undefined) {
    const parentPid = options.parentPid;
    setInterval(() => isRunning(parentPid) || stop(), 1000).unref();
  }
  process.stdout.write(`READY ${provider.reattach}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`schema provider failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
