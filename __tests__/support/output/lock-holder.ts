/**
 * For the lock test: takes the output lock of argv[2], appends `+<pid>` to the log argv[3], holds the lock for
 * argv[4] ms, appends `-<pid>` and releases it. Overlapping `+` entries in the log would mean two holders at once.
 */
import * as fs from 'fs';
import { withOutputLock } from '../../../stacks/output/lock';

const [outdir, log, holdMs] = process.argv.slice(2);
withOutputLock(
  outdir,
  () => {
    fs.appendFileSync(log, `+${process.pid}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdMs));
    fs.appendFileSync(log, `-${process.pid}\n`);
  },
  30_000,
);
