// Runs the app bundle of the selected flavour (flavours/flavour.cjs): `npm run synth` and the cdktf/cdktn CLI's
// app command.
const { flavour } = require('./flavour.cjs');

let bundle;
try {
  bundle = flavour().appBundle;
} catch (error) {
  console.error(`Error: ${error.message}`);
  console.error('Nothing was written.');
  process.exit(1);
}
require(bundle);
