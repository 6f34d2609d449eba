import * as fs from 'fs';
import * as path from 'path';
import { shippedCatalogs } from '../../../stacks/app';
import type { Catalog } from '../../../stacks/catalogs/types';
import { EXAMPLE_ENVIRONMENTS } from '../../../stacks/settings/defaults';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../../stacks/settings/types';
import { genericScenarios, loadCatalogScenarios, scenariosFor, serviceScenarios, type AccessScenario } from './scenarios';
import { evaluateRequest, type AccessDecision } from './simulate';
import { loadStackModel, type StackModel } from './stack-model';

const CATALOGS_DIR = path.resolve(__dirname, '../../../stacks/catalogs');

export interface StackProof {
  readonly stack: string;
  readonly catalog: Catalog;
  readonly environment: EnvironmentName;
  readonly model: StackModel;
  readonly scenarios: readonly AccessScenario[];
}

/** Every synthesized stack of `outdir` with the scenarios that apply to it (example settings: their principals). */
export function stackProofs(outdir: string, catalogs: readonly Catalog[] = shippedCatalogs()): StackProof[] {
  return catalogs.flatMap((catalog) => {
    const models = ENVIRONMENT_NAMES.map((environment) => {
      const stack = `${catalog.name}-${environment}`;
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      return { environment, stack, json, model: loadStackModel(stack, json) };
    });
    const roleNames = [...new Set(models.flatMap(({ model }) => [...model.roles.keys()]))];
    const own = loadCatalogScenarios(catalog, path.join(CATALOGS_DIR, catalog.name), roleNames);
    return models.map(({ environment, stack, json, model }) => ({
      stack,
      catalog,
      environment,
      model,
      scenarios: scenariosFor(environment, [...genericScenarios(catalog), ...serviceScenarios(json.resource ?? {}, catalog, environment), ...own]),
    }));
  });
}

export function evaluateScenario(proof: StackProof, scenario: AccessScenario): Promise<AccessDecision> {
  const settings = EXAMPLE_ENVIRONMENTS[proof.environment];
  return evaluateRequest(proof.model, scenario, { deployers: settings.deployerPrincipalArns, breakGlass: settings.exemptPrincipalArns });
}

/** The line a failed scenario prints: what was asked, what the engine decided and which statements decided it. */
export function describeMismatch(proof: StackProof, scenario: AccessScenario, decision: AccessDecision): string {
  return [
    `${proof.stack}: scenario '${scenario.id}' (${scenario.source}) expected ${scenario.expect}, the engine says ${decision.decision} (${decision.engineResult})`,
    `  ${scenario.description}`,
    `  request: ${decision.request.principal} ${decision.request.action} ${decision.request.resource}`,
    `  context: ${JSON.stringify(decision.request.context)}`,
    `  deciding statements: ${decision.deciding.join(', ') || '(none: nothing allows it)'}`,
  ].join('\n');
}
