// `npm run build`: the production build. tsc checks the types and compiles src/ and commands/ to `<outDir>`,
// then esbuild bundles the bot and the chart's worker into `<outDir>/bundle/`, one file each: a start loads one
// file instead of some two thousand (discord.js alone is 558), which is most of what a cold start costs.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { indexCodeDigest } from '../answering/engineCache.js';
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
    // A start keys its saved index with this instead of reading and hashing the bundle.
    define: { BUNDLED_INDEX_CODE_DIGEST: JSON.stringify(indexCodeDigest(pathToFileURL(join(outDir, 'src', 'answering', 'engineCache.js')))) },
    // Less to read and parse at every start; names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await checkAscii(join(outDir, 'bundle', 'main.js'));
}

/**
 * esbuild escapes non-ASCII characters in strings but not in regular expression literals, and one such
 * character makes Node decode the whole bundle, and V8 hold and compile it, as two-byte text: some 90 ms more
 * of every start. The build fails rather than ship that.
 */
async function checkAscii(file: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at === -1) return;
  const context = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8');
  throw new Error(`the bundle ${file} holds characters outside ASCII, the first in …${context}…: write them as \\u escapes in the source (in a regular expression literal, most likely)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) || error.message : error);
  process.exitCode = 1;
});
