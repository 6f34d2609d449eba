import { runSynth } from './stacks/synth';

// `npm run synth` runs this file directly (fast path); `cdktf synth|deploy` runs it via cdktf.json and passes
// CDKTF_OUTDIR.
process.exitCode = runSynth({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', env: process.env });
