import { optOutCommand } from '../src/bot/optOutCommand.js';

export const optout = optOutCommand({
  name: 'optout',
  description: 'Stop the bot answering your messages in this server unasked (slash commands still work)',
  optedOut: true,
  confirmation: 'Done: I will not answer your messages in this server unless you ask me with a command. `/optin` undoes it.',
});
