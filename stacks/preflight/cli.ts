import * as fs from 'fs';
import * as path from 'path';
import { printFailure } from '../../modules/validation';
import { GuardrailError } from '../../modules/validation';
import { nearest } from '../../modules/validation/schema';
import { preflightHelpPage, PREFLIGHT_HELP_FILE, renderChecklist } from './checklist';

/**
 * `npm run preflight [stack…]`: the account preconditions of the synthesized stacks in cdktf.out (run `npm run synth`
 * first), with the read-only AWS CLI command that checks each. `--help-page` writes help/preflight.md from them (run it
 * on the example synthesis).
 */
function main(argv: readonly string[]): number {
  const helpPage = argv.includes('--help-page');
  const args = argv.filter((arg) => arg !== '--help-page');
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const stacksDir = path.join(outdir, 'stacks');
  try {
    if (!fs.existsSync(stacksDir)) throw new GuardrailError('preflight', 'output', outdir, 'holds no synthesized stacks; run npm run synth first');
    const all = fs.readdirSync(stacksDir).filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json'))).sort();
    for (const stack of args) {
      if (!all.includes(stack)) {
        const suggestion = nearest(stack, all);
        throw new GuardrailError('preflight', 'stack', stack, `is not a synthesized stack; ${suggestion ? `did you mean '${suggestion}'? ` : ''}the stacks are ${all.join(', ')}`);
      }
    }
    const chosen = (args.length > 0 ? [...args] : all).map((stack) => [stack, JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'))] as const);
    if (helpPage) {
      fs.writeFileSync(path.resolve(__dirname, '..', '..', PREFLIGHT_HELP_FILE), preflightHelpPage(chosen));
      console.log(`Wrote ${PREFLIGHT_HELP_FILE}`);
      return 0;
    }
    process.stdout.write(renderChecklist(chosen, 'text'));
    return 0;
  } catch (error) {
    printFailure(error, 'preflight', Boolean(process.env.GUARDRAILS_DEBUG));
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
