import { EnvironmentName, EnvironmentSettings } from './types';

/**
 * Embedded example values, so `npm run synth` works with no input and no AWS account. Real account ids, the state
 * bucket and the Terraform Cloud organization come from `guardrails.config.json` or GUARDRAILS_* environment
 * variables (see help/configuration.md).
 */
export const EXAMPLE_ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = {
  dev: {
    name: 'dev',
    accountId: '111111111111',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '-dev',
    tags: { Owner: 'platform-team', CostCenter: 'platform-dev' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backend: { type: 'local' },
  },
  staging: {
    name: 'staging',
    accountId: '222222222222',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '-staging',
    tags: { Owner: 'platform-team', CostCenter: 'platform-staging' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backend: { type: 'local' },
  },
  prod: {
    name: 'prod',
    accountId: '333333333333',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '',
    tags: { Owner: 'platform-team', CostCenter: 'platform-prod' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: true,
    backend: { type: 'local' },
  },
};
