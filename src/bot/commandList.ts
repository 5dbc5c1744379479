import { ask } from '../../commands/ask.js';
import { compare } from '../../commands/compare.js';
import { config } from '../../commands/config.js';
import { forgetMe } from '../../commands/forget-me.js';
import { help } from '../../commands/help.js';
import { kb } from '../../commands/kb.js';
import { learn } from '../../commands/learn.js';
import { optin } from '../../commands/optin.js';
import { optout } from '../../commands/optout.js';
import { paths } from '../../commands/paths.js';
import { sources } from '../../commands/sources.js';
import { tip } from '../../commands/tip.js';
import type { CommandModule } from './command.js';

/** Every slash command, in the order /help lists them. */
export const COMMANDS: readonly CommandModule[] = [ask, compare, learn, paths, tip, sources, help, optout, optin, forgetMe, config, kb];
