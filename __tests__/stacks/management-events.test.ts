import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp, managementEventRecorders } from '../../stacks/app';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { Catalog } from '../../stacks/catalogs/types';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentName, EnvironmentSettings } from '../../stacks/settings/types';

interface StackTrail {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  /** 'all', 'writes' or 'none'. */
  readonly managementEvents: string;
  readonly multiRegion: boolean;
}

/** Synthesizes the app into a temporary directory and reads each stack's trail from its cdk.tf.json. */
function trailsOf(options: { catalogs?: Catalog[]; settings?: Record<EnvironmentName, EnvironmentSettings> } = {}): StackTrail[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'management-events-'));
  try {
    buildApp({ outdir, settings: options.settings ?? EXAMPLE_ENVIRONMENTS, catalogs: options.catalogs }).synth();
    return fs.readdirSync(path.join(outdir, 'stacks')).sort().map((stack) => {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      const provider = json.provider.aws[0];
      const trail: any = Object.values(json.resource.aws_cloudtrail ?? {})[0];
      const selector = trail?.advanced_event_selector.find((s: any) => s.field_selector.some((f: any) => f.field === 'eventCategory' && f.equals[0] === 'Management'));
      const managementEvents = !selector ? 'none' : selector.field_selector.some((f: any) => f.field === 'readOnly') ? 'writes' : 'all';
      return { stack, accountId: provider.allowed_account_ids[0], region: provider.region, managementEvents, multiRegion: trail?.is_multi_region_trail === true };
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Per account and Region, the stacks whose trails record the read calls too (a multi-Region trail counts everywhere). */
function readRecorders(trails: StackTrail[]): Map<string, string[]> {
  const recorders = new Map<string, string[]>();
  for (const trail of trails) {
    for (const other of trails.filter((t) => t.accountId === trail.accountId)) {
      const key = `${other.accountId}/${other.region}`;
      if (!recorders.has(key)) recorders.set(key, []);
    }
  }
  for (const trail of trails.filter((t) => t.managementEvents === 'all')) {
    const regions = trail.multiRegion ? trails.filter((t) => t.accountId === trail.accountId).map((t) => t.region) : [trail.region];
    for (const region of new Set(regions)) recorders.get(`${trail.accountId}/${region}`)!.push(trail.stack);
  }
  return recorders;
}

describe('one copy of the read calls per account and Region (CloudTrail charges every copy of management events after the first)', () => {
  test('example settings: every audited account and Region has exactly one trail recording read calls; the others record write calls', () => {
    const trails = trailsOf();
    const audited = trails.filter((t) => !t.stack.endsWith('-dev'));
    const recorders = readRecorders(audited);
    for (const [where, stacks] of recorders) expect({ where, stacks: stacks.length }).toEqual({ where, stacks: 1 });
    // manga-assist-prod's global table makes its trail multi-Region: it records prod's read calls in every Region.
    expect(audited.filter((t) => t.stack.endsWith('-prod')).map((t) => [t.stack, t.managementEvents])).toEqual([
      ['auditflow-prod', 'writes'],
      ['manga-assist-prod', 'all'],
      ['ml-platform-prod', 'writes'],
    ]);
    // Every trail still records the write calls, which its table-changes alarm and the governance rule need.
    for (const trail of audited) expect(trail.managementEvents).not.toBe('none');
    // dev has no audit trail: ml-platform-dev's trail exists for governance, and as the only trail of its account and
    // Region it records the read calls too (the first copy is free).
    expect(trails.filter((t) => t.stack.endsWith('-dev') && t.managementEvents !== 'none').map((t) => [t.stack, t.managementEvents])).toEqual([['ml-platform-dev', 'all']]);
  });

  test('negative control: a catalog alone in its account and Region records every management event', () => {
    expect(trailsOf({ catalogs: [auditFlowCatalog] }).filter((t) => t.stack !== 'auditflow-dev').map((t) => [t.stack, t.managementEvents])).toEqual([
      ['auditflow-prod', 'all'],
      ['auditflow-staging', 'all'],
    ]);
  });

  test('trails created only for governance: the first in an account and Region records everything, a second one writes only', () => {
    const second: Catalog = { ...mlPlatformCatalog, name: 'ml-second' };
    const dev = { ...EXAMPLE_ENVIRONMENTS.dev, networks: { ...EXAMPLE_ENVIRONMENTS.dev.networks, 'ml-second': EXAMPLE_ENVIRONMENTS.dev.networks['ml-platform'] } };
    const recorders = managementEventRecorders([mlPlatformCatalog, second], { ...EXAMPLE_ENVIRONMENTS, dev });
    expect(recorders.get(`${dev.accountId}/${dev.region}`)).toBe('ml-platform-dev');
    // Negative control: where an audit trail records the account and Region, no governance trail is picked.
    expect(recorders.get(`${EXAMPLE_ENVIRONMENTS.prod.accountId}/${EXAMPLE_ENVIRONMENTS.prod.region}`)).toBe('ml-platform-prod');
  });

  test('an environment sharing the prod account: prod keeps the read calls, the other environment records writes only', () => {
    // The catalog check refuses a mix of example and real accounts, so the choice itself is asked for here.
    const settings = { ...EXAMPLE_ENVIRONMENTS, staging: { ...EXAMPLE_ENVIRONMENTS.staging, accountId: EXAMPLE_ENVIRONMENTS.prod.accountId, region: EXAMPLE_ENVIRONMENTS.prod.region } };
    const recorders = managementEventRecorders([auditFlowCatalog], settings);
    expect([...recorders.values()]).toEqual(['auditflow-prod']);
    // Negative control: in accounts of their own, each environment records its own read calls.
    expect([...managementEventRecorders([auditFlowCatalog], EXAMPLE_ENVIRONMENTS).values()]).toEqual(['auditflow-prod', 'auditflow-staging']);
  });
});
