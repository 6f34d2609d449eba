import { printable } from './modules/validation';
import { runSynth } from './stacks/synth';

// `npm run synth` runs this file directly (fast path); `cdktf synth|deploy` runs it via cdktf.json and passes
// CDKTF_OUTDIR. Settings come from guardrails.config.json and GUARDRAILS_* variables, never from arguments; the
// only argument is `--stack <name>` (repeatable), which picks the stacks whose compliance decides the exit code.
const args = process.argv.slice(2);
const stacks: string[] = [];
let problem: string | undefined;
for (let i = 0; i < args.length && !problem; i += 1) {
  if (args[i] === '--stack' && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) stacks.push(args[(i += 1)]);
  else problem = args[i] === '--stack' ? '--stack needs a stack name' : `synth takes only --stack <name> (got '${printable(args[i])}')`;
}
if (problem) {
  console.error(`Error: ${problem}; settings come from guardrails.config.json and GUARDRAILS_* variables (help/configuration.md)`);
  process.exitCode = 2;
} else {
  process.exitCode = runSynth({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', env: process.env, stacks: stacks.length > 0 ? stacks : undefined });
}
