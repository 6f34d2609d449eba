import { printable } from './modules/validation';
import { runSynth } from './stacks/synth';

// `npm run synth` runs this file directly (fast path); `cdktf synth|deploy` runs it via cdktf.json and passes
// CDKTF_OUTDIR. Settings come from guardrails.config.json and GUARDRAILS_* variables, never from arguments; the
// only argument is `--stack <name>` (repeatable), which picks the stacks whose compliance decides the exit code.
// A reader that stops early (`npm run synth | head`) closes stdout; the output is complete by then, so that is no error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const USAGE = 'usage: npm run synth [-- --stack <name> ...]   (settings: guardrails.config.json and GUARDRAILS_* variables, help/configuration.md)';
const args = process.argv.slice(2);
const stacks: string[] = [];
let problem: string | undefined;
let help = false;
for (let i = 0; i < args.length && !problem; i += 1) {
  const inline = /^--stack=(.+)$/.exec(args[i]);
  if (inline) stacks.push(inline[1]);
  else if (args[i] === '--stack' && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) stacks.push(args[(i += 1)]);
  else if (args[i] === '--help' || args[i] === '-h') help = true;
  else problem = args[i] === '--stack' ? '--stack needs a stack name' : `synth takes only --stack <name> (got '${printable(args[i])}')`;
}
// `npm run synth --stack x` (without `--`) hands the option to npm, which passes it on only as npm_config_stack.
// npm then leaves the stack name behind as a plain argument (or in npm_config_stack).
const npmStack = process.env.npm_config_stack;
if (stacks.length === 0 && npmStack !== undefined) {
  const name = npmStack !== 'true' && npmStack !== '' ? npmStack : (args.find((arg) => !arg.startsWith('-')) ?? '<name>');
  problem = `npm took --stack as its own option; write npm run synth -- --stack ${printable(name)}`;
}
if (help) {
  console.log(USAGE);
} else if (problem) {
  console.error(`Error: ${problem}`);
  console.error(USAGE);
  process.exitCode = 2;
} else {
  process.exitCode = runSynth({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', env: process.env, stacks: stacks.length > 0 ? stacks : undefined });
}
