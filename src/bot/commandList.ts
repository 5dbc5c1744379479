import { ask } from '../../commands/ask.js';
import { compare } from '../../commands/compare.js';
import { help } from '../../commands/help.js';
import { learn } from '../../commands/learn.js';
import { paths } from '../../commands/paths.js';
import { sources } from '../../commands/sources.js';
import { tip } from '../../commands/tip.js';
import type { CommandModule } from './command.js';

/** Every slash command, in the order /help lists them. */
export const COMMANDS: readonly CommandModule[] = [ask, compare, learn, paths, tip, sources, help];
