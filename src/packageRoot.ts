import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bot's package directory, the nearest one above this module that holds a package.json: the same whether
 * the code runs from src/ under tsx or compiled in dist/ (which holds no package.json of its own). The files the
 * bot reads beside its code (knowledge/, the evaluation sets, the committed model) are found from here.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package directory. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${start} or any directory above it: the bot's files are not where it was installed`);
  }
}
