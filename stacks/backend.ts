import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { BackendSettings } from './settings/types';

/**
 * Local state lives in the project root, not in cdktf.out (which synth rewrites). The path is relative to the
 * stack's working directory `cdktf.out/stacks/<stack>/`, so the synthesized JSON is identical on every machine.
 */
export function localStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}

export function configureBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(stackName) });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix}/${stackName}/terraform.tfstate`,
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform >= 1.10); without it two applies could
      // interleave. Covered by the offline `terraform validate` of the backend tests.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case 'cloud':
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix}${stackName}`),
      });
      return;
  }
}
