// Bundle the console into OUT (default ../../build/console): index.html,
// app.js (mqtt.js + uPlot + our code, one file), app.css. Pinned versions
// (package-lock.json); the page loads nothing from outside its directory.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, '../../build/console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src/app.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  outfile: join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
const css = readFileSync(join(here, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8') + '\n' +
  readFileSync(join(here, 'src/style.css'), 'utf8');
writeFileSync(join(out, 'app.css'), css);
copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));
const pkg = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));
const v = (n) => pkg.packages['node_modules/' + n].version;
writeFileSync(join(out, 'VERSIONS'), `mqtt ${v('mqtt')}\nuplot ${v('uplot')}\nbundled with esbuild ${v('esbuild')}\n`);
console.log(`console: ${out} (mqtt ${v('mqtt')}, uplot ${v('uplot')})`);
