import { printable } from './modules/validation';
import { runSynth } from './stacks/synth';

// `npm run synth` runs this file directly (fast path); `cdktf synth|deploy` runs it via cdktf.json and passes
// CDKTF_OUTDIR. Settings come from guardrails.config.json and GUARDRAILS_* variables, never from arguments.
const args = process.argv.slice(2);
if (args.length > 0) {
  console.error(`Error: synth takes no arguments (got '${printable(args[0])}'); settings come from guardrails.config.json and GUARDRAILS_* variables (help/configuration.md)`);
  process.exitCode = 2;
} else {
  process.exitCode = runSynth({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', env: process.env });
}
