import type { CommandModule } from '../src/bot/command.js';
import { ask } from './ask.js';
import { compare } from './compare.js';
import { config } from './config.js';
import { forgetMe } from './forget-me.js';
import { help } from './help.js';
import { kb } from './kb.js';
import { learn } from './learn.js';
import { optin } from './optin.js';
import { optout } from './optout.js';
import { paths } from './paths.js';
import { sources } from './sources.js';
import { tip } from './tip.js';

/** Every slash command, in the order /help lists them. */
export const COMMANDS: readonly CommandModule[] = [ask, compare, learn, paths, tip, sources, help, optout, optin, forgetMe, config, kb];
