import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { shippedCatalogs } from '../../stacks/catalogs/registry';
import { REMOVED_STACKS_FOLDER } from '../../stacks/output';
import { ENVIRONMENT_NAMES } from '../../stacks/settings/types';
import { synthesizeAll } from '../../stacks/synth';
import { leftoversBeside } from '../support/output/leftovers';
import { runNode, synthBundleOfScratchCopy } from '../support/project/scratch-project';

// Every catalog folder the app discovers, so a new catalog is covered without editing this file.
const ALL_STACKS = shippedCatalogs()
  .flatMap((catalog) => ENVIRONMENT_NAMES.map((env) => `${catalog.name}-${env}`))
  .sort();
let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-synth-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** Every file under dir with its content, for byte-for-byte comparison. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

const withHcl = <T>(fn: () => T): T => {
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    return fn();
  } finally {
    delete process.env.SYNTH_HCL_OUTPUT;
  }
};


describe('synthesizeAll', () => {
  test('synthesizes every catalog in every environment', () => {
    expect(synthesizeAll({ outdir: 'out', cwd, env: {} })).toEqual(ALL_STACKS);
    for (const stack of ALL_STACKS) {
      for (const file of ['cdk.tf.json', 'compliance.md', 'compliance.json', 'compliance.sarif']) {
        expect(fs.existsSync(path.join(cwd, 'out/stacks', stack, file))).toBe(true);
      }
    }
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cwd, 'out/manifest.json'), 'utf8')).stacks).sort()).toEqual(ALL_STACKS);
  });

  test('is deterministic: two synths produce byte-identical files', () => {
    synthesizeAll({ outdir: 'first', cwd, env: {} });
    synthesizeAll({ outdir: 'second', cwd, env: {} });
    const first = snapshot(path.join(cwd, 'first'));
    expect(Object.keys(first).length).toBeGreaterThan(3);
    expect(snapshot(path.join(cwd, 'second'))).toEqual(first);
  });

  test('bad settings write nothing: the previous output stays byte-identical and no staging dir is left', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {} });
    const before = snapshot(path.join(cwd, 'out'));
    expect(() => synthesizeAll({ outdir: 'out', cwd, env: { GUARDRAILS_PROD_ACCOUNT_ID: '42' } })).toThrow(
      "environment: GUARDRAILS_PROD_ACCOUNT_ID = '42': must be a 12-digit AWS account id",
    );
    expect(snapshot(path.join(cwd, 'out'))).toEqual(before);
    expect(leftoversBeside(path.join(cwd, 'out'))).toEqual([]);
  });

  test('an invalid table in the last stack leaves no stack written, not even the valid ones before it', () => {
    const broken = { ...auditFlowCatalog, name: 'broken', endpoint: undefined, roles: [], resourcePolicies: [], tables: [{ ...auditFlowCatalog.tables[0], baseName: 'x' }] };
    expect(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog, broken] })).toThrow(
      "catalog 'broken' (catalogs[1]): tables['documents'].baseName = 'x': must be 3 to 255 characters long, got 1",
    );
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('a stack that is no longer part of the app (a removed catalog) is pruned; files synth did not write are kept', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog, mangaAssistCatalog] });
    fs.writeFileSync(path.join(cwd, 'out/stacks/manga-assist-prod/plan.tfplan'), 'a saved plan');
    const warnings: string[] = [];
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], warn: (line) => warnings.push(line) });
    expect(fs.readdirSync(path.join(cwd, 'out/stacks')).sort()).toEqual(['auditflow-dev', 'auditflow-prod', 'auditflow-staging']);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cwd, 'out/manifest.json'), 'utf8')).stacks).sort()).toEqual(['auditflow-dev', 'auditflow-prod', 'auditflow-staging']);
    expect(fs.readFileSync(path.join(cwd, 'out', REMOVED_STACKS_FOLDER, 'manga-assist-prod/plan.tfplan'), 'utf8')).toBe('a saved plan');
    expect(warnings).toContainEqual(expect.stringMatching(/stack manga-assist-prod is no longer synthesized; 1 file\(s\) .* were kept in .*removed-stacks\/manga-assist-prod$/));
  });

  test("re-synth keeps Terraform's working files (.terraform, lock file) in each stack dir", () => {
    synthesizeAll({ outdir: 'out', cwd, env: {} });
    const stackDir = path.join(cwd, 'out/stacks/auditflow-dev');
    fs.mkdirSync(path.join(stackDir, '.terraform'));
    fs.writeFileSync(path.join(stackDir, '.terraform/marker'), 'providers');
    fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), '# lock');
    synthesizeAll({ outdir: 'out', cwd, env: {} });
    expect(fs.readFileSync(path.join(stackDir, '.terraform/marker'), 'utf8')).toBe('providers');
    expect(fs.existsSync(path.join(stackDir, '.terraform.lock.hcl'))).toBe(true);
    expect(leftoversBeside(path.join(cwd, 'out'))).toEqual([]);
  });

  test('HCL written by an earlier --hcl synth is gone after a JSON synth (synth wrote it)', () => {
    withHcl(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] }));
    expect(fs.existsSync(path.join(cwd, 'out/stacks/auditflow-dev/cdk.tf'))).toBe(true);
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] });
    expect(fs.readdirSync(path.join(cwd, 'out/stacks/auditflow-dev')).sort()).toEqual(['cdk.tf.json', 'compliance.json', 'compliance.md', 'compliance.sarif']);
  });
});

describe('HCL output (cdktf synth --hcl) is held to the same compliance gate', () => {
  test('reports are written next to cdk.tf, evaluated on the JSON form', () => {
    withHcl(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] }));
    expect(fs.readdirSync(path.join(cwd, 'out/stacks/auditflow-prod')).sort()).toEqual(['cdk.tf', 'compliance.json', 'compliance.md', 'compliance.sarif', 'metadata.json']);
    expect(leftoversBeside(path.join(cwd, 'out'))).toEqual([]);
  });

  test('a prod table without PITR stops an HCL synth too, and nothing is written', () => {
    fs.writeFileSync(path.join(cwd, 'guardrails.config.json'), JSON.stringify({ environments: { prod: { pointInTimeRecovery: false } } }));
    expect(() => withHcl(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] }))).toThrow(/^prod is not compliant: .*\n  auditflow-prod: aws_dynamodb_table\.audit_records: dynamodb:002 /s);
    expect(fs.readdirSync(cwd)).toEqual(['guardrails.config.json']);
  });
});

describe('main.ts as a command (bundled, as npm run synth runs it)', () => {
  const synthApp = synthBundleOfScratchCopy();
  const run = (env: NodeJS.ProcessEnv) => runNode(cwd, [synthApp()], { CDKTF_OUTDIR: path.join(cwd, 'cdktf.out'), ...env });

  test('bad input: one clear message, exit code 1, no stack trace, nothing written', () => {
    const result = run({ GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'state', GUARDRAILS_STATE_REGION: 'nowhere' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Error: environment: GUARDRAILS_STATE_REGION = 'nowhere': must be an AWS region such as 'us-east-1'\nNothing was written to " + path.join(cwd, 'cdktf.out') + '.\n',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(cwd, 'cdktf.out'))).toBe(false);
  });

  test('good input: exit code 0 and every stack written', () => {
    const result = run({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'cdktf.out/stacks')).sort()).toEqual(ALL_STACKS);
  });
});
