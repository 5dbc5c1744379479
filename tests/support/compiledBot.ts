import { execFile } from 'node:child_process';
import { copyFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './runCli.js';

/** A copy of the bot as it is installed for production: built, outside the project, removed by `remove()`. */
export interface InstalledCopy {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Builds the bot with `npm run build` into a temporary directory laid out as an installation: `dist/` beside
 * the package.json, `knowledge/` and `node_modules/` (a link to the project's). Nothing is left in the project.
 */
export async function buildInstalledCopy(): Promise<InstalledCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'ml-career-bot-build-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await promisify(execFile)('npm', ['run', 'build', '--silent', '--', '--outDir', join(dir, 'dist')], { cwd: PROJECT_ROOT });
    await copyFile(join(PROJECT_ROOT, 'package.json'), join(dir, 'package.json'));
    await cp(join(PROJECT_ROOT, 'knowledge'), join(dir, 'knowledge'), { recursive: true });
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction');
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
