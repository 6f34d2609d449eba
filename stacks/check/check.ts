/**
 * `npm run check -- <path>`: dynamodb:001–015 on Terraform this project did not synthesize.
 *
 * - a plan JSON (`terraform show -json plan.tfplan`): its planned values, and its configuration's references where
 *   a value is known only after apply (plan-view.ts);
 * - a directory of Terraform (`*.tf` parsed by @cdktf/hcl2json first, `*.tf.json`): planned offline by the real
 *   terraform binary with the offline provider (stacks/offline-terraform), so module calls (ours or anyone's),
 *   variables, locals, count and for_each are evaluated by Terraform itself, then read as a plan;
 * - a synthesized `cdktf.out` (or one stack directory of it): each stack's cdk.tf.json, exactly as synth evaluates it.
 *
 * Reports: compliance.md/json/sarif per checked configuration under the output directory, findings located at the
 * `.tf` file and line. Waivers come from `guardrails.waivers.json` beside the code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { EvaluatedFinding, evaluateStack, StackComplianceReport, unwaivedFailures } from '../../modules/compliance/evaluate';
import { baseAddress, locateResources, TERRAFORM_FILE, writeComplianceReports } from '../../modules/compliance/reports';
import { ComplianceEnvironment, TerraformJson } from '../../modules/compliance/types';
import { parseWaivers, utcDate, Waiver } from '../../modules/compliance/waivers';
import { readJsonFile } from '../../modules/validation/json-file';
import { offlinePlan, OVERRIDE_FILE } from '../offline-terraform/plan';
import { admits } from '../offline-terraform/version-constraint';
import { JsonProviderSchema, SCHEMA_VERSION } from '../offline-terraform/provider-schema';
import { EnvironmentName, EnvironmentSettings, environmentOfStack } from '../settings/types';
import { loadEnvironmentSettings } from '../settings/load';
import { blocks, isExpression, isObject, stringList } from '../../modules/compliance/terraform';
import { DataSourceStandIns } from '../offline-terraform/values';
import { writeAccessProof } from './access';
import { ConfigurationFile, Locator, locatorOf } from './locations';
import { isPlanJson, realAddressesOf, terraformJsonOfPlan } from './plan-view';

export const WAIVERS_FILE = 'guardrails.waivers.json';
export const DEFAULT_CHECK_OUTDIR = 'guardrails-check';

/** Input `check` cannot read: one line for the user, exit code 2. */
export class CheckInputError extends Error {}

export interface CheckOptions {
  readonly path: string;
  /** @default `<cwd>/guardrails-check` */
  readonly outdir?: string;
  /** @default `guardrails.waivers.json` in the directory checked (for a plan file: beside it), when it exists */
  readonly waiversFile?: string;
  /** The environment the findings are judged for (`prod` fails on any unwaived finding). @default from the stack name, else prod */
  readonly environment?: ComplianceEnvironment;
  /** `-var-file`s for the offline plan of a directory. */
  readonly varFiles?: readonly string[];
  /** `YYYY-MM-DD` waivers are checked against. @default today (UTC) */
  readonly today?: string;
  /** Paths in reports are relative to it. @default process.cwd() */
  readonly cwd?: string;
  /** The provider schema the offline plan of a directory serves. @default the whole hashicorp/aws 6.25.0 schema */
  readonly schema?: JsonProviderSchema;
}

export interface CheckResult {
  readonly kind: 'plan' | 'terraform' | 'cdktf';
  readonly reports: readonly StackComplianceReport[];
  readonly outdir: string;
  /** 0 compliant, 1 NON_COMPLIANT findings without a valid waiver. */
  readonly exitCode: 0 | 1;
  /** Lines for stderr (e.g. a provider version the offline plan's schema is not). */
  readonly warnings: readonly string[];
  /** access.md/access.json beside the reports of each cdktf.out stack; `unavailable` without the IAM engine installed. */
  readonly accessProof: 'written' | 'unavailable' | 'not-applicable';
}

interface Subject {
  readonly name: string;
  readonly json: TerraformJson;
  readonly locate: Locator;
  readonly environment?: ComplianceEnvironment;
  /** What the reports say they were evaluated from. @default the synthesized cdk.tf.json */
  readonly evaluatedFrom?: string;
  readonly warnings?: readonly string[];
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const input = path.resolve(cwd, options.path);
  if (!fs.existsSync(input)) throw new CheckInputError(`${options.path}: no such file or directory`);
  const { kind, subjects } = await subjectsOf(input, options, cwd);
  const fileWaivers = readWaivers(options.waiversFile ? path.resolve(cwd, options.waiversFile) : path.join(fs.statSync(input).isDirectory() ? input : path.dirname(input), WAIVERS_FILE), cwd);
  // Our own stacks were judged by synth with the environments' settings (guardrails.config.json): their waivers, and
  // for the access proof their deployer and break-glass principals.
  const settings = kind === 'cdktf' ? environmentSettings(cwd) : undefined;
  const today = options.today ?? utcDate();
  const outdir = path.resolve(cwd, options.outdir ?? DEFAULT_CHECK_OUTDIR);
  const reports = subjects.map((subject) => {
    const environment = options.environment ?? subject.environment ?? 'prod';
    const waivers = [...fileWaivers, ...(subject.environment && settings ? settings[subject.environment].waivers : [])];
    const report = evaluateStack(subject.name, subject.json, { environment, waivers, today });
    const readable = realAddressesOf(subject.json);
    return { ...report, findings: report.findings.map((finding) => located(finding, subject.locate, readable)) };
  });
  reports.forEach((report, i) => writeComplianceReports(path.join(outdir, report.stack), report, subjects[i].evaluatedFrom));
  let accessProof: CheckResult['accessProof'] = 'not-applicable';
  if (settings) {
    for (const subject of subjects) {
      if (!subject.environment) continue;
      try {
        accessProof = (await writeAccessProof(subject.name, settings[subject.environment], subject.json, path.join(outdir, subject.name))) ? 'written' : 'unavailable';
      } catch (error) {
        throw new CheckInputError(`access proof of ${subject.name}: ${(error as Error).message}`);
      }
      if (accessProof === 'unavailable') break;
    }
  }
  return { kind, reports, outdir, accessProof, warnings: subjects.flatMap((subject) => subject.warnings ?? []), exitCode: reports.some((report) => unwaivedFailures(report).length > 0) ? 1 : 0 };
}

/** The finding located at its source, in terms of real addresses (plans name resources for the rules otherwise). */
function located(finding: EvaluatedFinding, locate: Locator, readable: (text: string) => string): EvaluatedFinding {
  const source = locate(finding.resource);
  return { ...finding, reason: readable(finding.reason), ...(finding.fix !== undefined ? { fix: readable(finding.fix) } : {}), ...(source ? { source } : {}) };
}

async function subjectsOf(input: string, options: CheckOptions, cwd: string): Promise<{ kind: CheckResult['kind']; subjects: Subject[] }> {
  if (!fs.statSync(input).isDirectory()) return { kind: 'plan', subjects: [planSubject(input, cwd)] };
  let names: string[];
  try {
    names = fs.readdirSync(input);
  } catch (error) {
    throw new CheckInputError(`${options.path}: cannot read the directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (names.includes('stacks') && fs.existsSync(path.join(input, 'manifest.json'))) {
    const stacks = fs.readdirSync(path.join(input, 'stacks')).filter((stack) => fs.existsSync(path.join(input, 'stacks', stack, TERRAFORM_FILE))).sort();
    if (stacks.length === 0) throw new CheckInputError(`${options.path}: a cdktf output without any stacks/<stack>/${TERRAFORM_FILE}; run npm run synth first`);
    return { kind: 'cdktf', subjects: stacks.map((stack) => stackSubject(path.join(input, 'stacks', stack), cwd)) };
  }
  if (names.includes(TERRAFORM_FILE)) return { kind: 'cdktf', subjects: [stackSubject(input, cwd)] };
  const configFiles = names.filter((name) => (name.endsWith('.tf') || name.endsWith('.tf.json')) && name !== OVERRIDE_FILE);
  if (configFiles.length === 0) throw new CheckInputError(`${options.path}: no Terraform here (no *.tf or *.tf.json files, no plan JSON, no cdktf.out)`);
  return { kind: 'terraform', subjects: [await terraformSubject(input, configFiles, options, cwd)] };
}

function stackSubject(stackDir: string, cwd: string): Subject {
  const file = path.join(stackDir, TERRAFORM_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const json = parseJson(text, file, cwd);
  const lines = locateResources(text);
  const uri = relative(cwd, file);
  const name = path.basename(stackDir);
  return { name, json, environment: environmentOfStack(name), locate: (address) => (lines.has(baseAddress(address)) ? { uri, line: lines.get(baseAddress(address)) } : undefined) };
}

function planSubject(file: string, cwd: string): Subject {
  const text = fs.readFileSync(file, 'utf8');
  const plan = parseJson(text, file, cwd);
  if (!isPlanJson(plan)) throw new CheckInputError(`${relative(cwd, file)}: not a Terraform plan in JSON (expected the output of terraform show -json <planfile>, with format_version and planned_values)`);
  return { name: path.basename(file).replace(/\.json$/, '').replace(/\.tfplan$/, '') || 'plan', json: terraformJsonOfPlan(plan), locate: () => undefined, evaluatedFrom: `the plan ${relative(cwd, file)}` };
}

async function terraformSubject(dir: string, configFiles: readonly string[], options: CheckOptions, cwd: string): Promise<Subject> {
  const parsed: TerraformJson[] = [];
  const files: ConfigurationFile[] = [];
  for (const name of [...configFiles].sort()) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    files.push({ uri: relative(cwd, file), text });
    if (name.endsWith('.json')) parsed.push(parseJson(text, file, cwd));
    else {
      parsed.push(
        (await parseHcl(name, text).catch((error: Error) => {
          throw new CheckInputError(`${relative(cwd, file)}: not valid HCL: ${firstLine(error.message)}`);
        })) as TerraformJson,
      );
    }
  }
  const result = await offlinePlan(dir, { varFiles: options.varFiles?.map((file) => path.resolve(cwd, file)), dataSources: contextStandIns(parsed), schema: options.schema }).catch((error: Error) => {
    throw new CheckInputError(`${relative(cwd, dir)}: ${error.message}`);
  });
  if (!result.plan) {
    const first = result.diagnostics.find((d) => d.severity === 'error') ?? result.diagnostics[0];
    const where = first?.range ? `${relative(cwd, path.join(dir, first.range.filename))}:${first.range.start.line}: ` : `${relative(cwd, dir)}: `;
    throw new CheckInputError(`${where}terraform ${result.failedStep} failed offline: ${first ? `${first.summary}${first.detail ? `: ${firstLine(first.detail)}` : ''}` : 'no diagnostic'} (a plan JSON from your pipeline can be checked instead: terraform show -json plan.tfplan > plan.json)`);
  }
  const constraints = Object.values((result.plan.configuration as { provider_config?: Record<string, { name?: string; version_constraint?: string }> } | undefined)?.provider_config ?? {})
    .filter((config) => config.name === 'aws' && config.version_constraint && !admits(config.version_constraint, SCHEMA_VERSION))
    .map((config) => config.version_constraint!);
  const warnings = [...new Set(constraints)].map(
    (constraint) => `${relative(cwd, dir)} requires hashicorp/aws ${constraint}, but the offline plan uses the ${SCHEMA_VERSION} schema: arguments that differ between the versions may be judged wrongly; check the plan JSON of your pipeline instead`,
  );
  return { name: path.basename(dir), json: terraformJsonOfPlan(result.plan), locate: locatorOf(files), warnings, evaluatedFrom: `the offline terraform plan of ${relative(cwd, dir)}` };
}

function environmentSettings(cwd: string): Record<EnvironmentName, EnvironmentSettings> {
  try {
    return loadEnvironmentSettings({ cwd, env: process.env });
  } catch (error) {
    throw new CheckInputError(`the environments' settings could not be read: ${(error as Error).message}`);
  }
}

/** `guardrails.waivers.json`: a list of waivers (or `{ "waivers": [...] }`), each as in the environment settings. */
/**
 * Stand-ins for the data sources that describe where Terraform runs, taken from the root module's default
 * `provider "aws"` block: its literal `region` (and the partition that Region belongs to), and its account when
 * `allowed_account_ids` names exactly one. Anything else keeps the offline provider's placeholder.
 */
export function contextStandIns(files: readonly TerraformJson[]): DataSourceStandIns {
  const providers = files.flatMap((file) => blocks(isObject(file.provider) ? file.provider.aws : undefined));
  const provider = providers.find((p) => p.alias === undefined);
  const region = typeof provider?.region === 'string' && !isExpression(provider.region) ? provider.region : undefined;
  const accounts = stringList(provider?.allowed_account_ids).filter((id) => /^\d{12}$/.test(id));
  const standIns: Record<string, Record<string, unknown>> = {};
  if (region) {
    const [partition, dnsSuffix] = region.startsWith('cn-') ? ['aws-cn', 'amazonaws.com.cn'] : region.startsWith('us-gov-') ? ['aws-us-gov', 'amazonaws.com'] : ['aws', 'amazonaws.com'];
    standIns.aws_region = { region, name: region };
    standIns.aws_partition = { partition, dns_suffix: dnsSuffix, reverse_dns_prefix: dnsSuffix.split('.').reverse().join('.') };
  }
  if (accounts.length === 1) standIns.aws_caller_identity = { account_id: accounts[0] };
  return standIns;
}

function readWaivers(file: string, cwd: string): Waiver[] {
  if (!fs.existsSync(file)) return [];
  const subject = `waivers file ${relative(cwd, file)}`;
  try {
    const json = readJsonFile(file, subject);
    return parseWaivers(Array.isArray(json) ? json : (json as { waivers?: unknown } | null)?.waivers ?? json, { subject, field: 'waivers' });
  } catch (error) {
    throw new CheckInputError((error as Error).message);
  }
}

function parseJson(text: string, file: string, cwd: string): TerraformJson {
  try {
    return JSON.parse(text) as TerraformJson;
  } catch (error) {
    throw new CheckInputError(`${relative(cwd, file)}: not valid JSON (${firstLine((error as Error).message)})`);
  }
}

const relative = (cwd: string, file: string) => path.relative(cwd, file).split(path.sep).join('/') || '.';
const firstLine = (text: string) => text.trim().split('\n')[0];
