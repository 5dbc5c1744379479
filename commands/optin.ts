import { optOutCommand } from '../src/bot/optOutCommand.js';

export const optin = optOutCommand({
  name: 'optin',
  description: 'Let the bot answer your questions in watched channels again',
  optedOut: false,
  confirmation: 'Welcome back: I will answer your questions in the watched channels again.',
});
