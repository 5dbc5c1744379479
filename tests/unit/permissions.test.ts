import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { permissionWords, TASK_PERMISSIONS, type BotPermission } from '../../src/guilds/permissions.js';
import { PROJECT_ROOT } from '../support/runCli.js';

const bits = (permissions: readonly BotPermission[]) => permissions.reduce((sum, name) => sum | PermissionFlagsBits[name], 0n);

describe('the permissions the bot asks for', () => {
  it('are in the README’s invite links: everything answering needs, and Manage Threads besides for tagging forum posts', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/oauth2\/authorize\?[^\s`]*permissions=(\d+)/g)].map((match) => BigInt(match[1]!));
    const { 'tag forum posts': tagging, ...answering } = TASK_PERMISSIONS;
    const needed = bits(Object.values(answering).flat());
    expect(links).toEqual([needed, needed | bits(tagging)]);
  });

  it('are named as Discord’s server settings name them', () => {
    expect(permissionWords(['ManageThreads'])).toBe('the Manage Threads permission');
    expect(permissionWords(['ViewChannel', 'SendMessagesInThreads', 'EmbedLinks'])).toBe('the View Channel, Send Messages in Threads and Embed Links permissions');
  });
});
