// `npm run build`: the production build. tsc checks the types and compiles src/ and commands/ to `<outDir>`,
// then esbuild bundles the bot and the chart's worker into `<outDir>/bundle/`, one file each: a start loads one
// file instead of some two thousand (discord.js alone is 558), which is most of what a cold start costs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../packageRoot.js';

/** Native add-ons stay out of the bundle (Node loads them from node_modules), as do optional ones and pino-pretty. */
const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'zlib-sync', 'bufferutil', 'utf-8-validate', 'pino-pretty'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { outDir: { type: 'string', default: join(PACKAGE_ROOT, 'dist') } } });
  const outDir = values.outDir;
  await promisify(execFile)(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(PACKAGE_ROOT, 'tsconfig.build.json'), '--outDir', outDir]);
  await build({
    entryPoints: [join(outDir, 'src', 'main.js'), join(outDir, 'src', 'charts', 'statsChartWorker.js')],
    outdir: join(outDir, 'bundle'),
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // The build may go anywhere (`--outDir`): packages come from this project's node_modules.
    nodePaths: [join(PACKAGE_ROOT, 'node_modules')],
    // Bundled CommonJS packages call require(): give the ES module one.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    // Less to read and parse at every start; names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) || error.message : error);
  process.exitCode = 1;
});
