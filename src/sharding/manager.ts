import { once } from 'node:events';
import { REST, Routes, ShardingManager, type APIGatewayBotInfo, type Shard } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { isChangeMessage } from './messages.js';

/** How long a shard may take from its start to its connection to Discord. */
const SHARD_READY_TIMEOUT_MS = 60_000;
/** How long a stopping shard may take to finish its work and close its database before it is killed. */
const SHARD_STOP_TIMEOUT_MS = 10_000;
/** Discord lets `max_concurrency` shards identify every 5 seconds; a little more, to be safe. */
const IDENTIFY_WINDOW_MS = 5_500;

export interface RunningShards {
  /** Stops every shard (each finishes its work and closes its database), and restarts none. */
  stop(): Promise<void>;
}

/**
 * Runs the bot as `config.shards` shard processes under discord.js's ShardingManager: each process is this same
 * program, connected to its share of the servers, all on one database. The manager restarts a shard that dies
 * while the others keep serving, and passes each shard's changes on to the others.
 */
export async function startShards(config: Config, logger: Logger, script: string): Promise<RunningShards> {
  const gateway = await gatewayInfo(config);
  const totalShards = config.shards === 'auto' || config.shards === undefined ? gateway.shards : config.shards;
  const manager = new ShardingManager(script, {
    totalShards,
    token: config.token,
    respawn: true,
    // The same runtime as this process: tsx under `npm start`, none for the compiled bot.
    execArgv: process.execArgv,
    shardArgs: process.argv.slice(2),
  });
  manager.on('shardCreate', (shard) => watch(shard, manager, logger));
  logger.info({ shards: totalShards, maxConcurrency: gateway.maxConcurrency }, 'starting the shards');
  // Shards that may not identify together start one identify window apart.
  const delay = Math.ceil(IDENTIFY_WINDOW_MS / gateway.maxConcurrency);
  await manager.spawn({ amount: totalShards, delay: totalShards <= gateway.maxConcurrency ? 0 : delay, timeout: SHARD_READY_TIMEOUT_MS });
  logger.info({ shards: totalShards }, 'every shard is connected');
  return { stop: () => stopShards(manager) };
}

function watch(shard: Shard, manager: ShardingManager, logger: Logger): void {
  logger.info({ shard: shard.id }, 'starting a shard');
  shard.on('death', (child) => {
    const code = 'exitCode' in child ? child.exitCode : null;
    const signal = 'signalCode' in child ? child.signalCode : null;
    if (manager.respawn) logger.warn({ shard: shard.id, code, signal }, 'a shard stopped; starting it again while the others keep serving');
  });
  shard.on('ready', () => logger.info({ shard: shard.id }, 'shard connected'));
  shard.on('error', (error) => logger.error({ err: error, shard: shard.id }, 'shard error'));
  shard.on('message', (message: unknown) => {
    if (!isChangeMessage(message)) return;
    for (const other of manager.shards.values()) {
      if (other.id === shard.id || !other.process) continue;
      other.send(message).catch((error: unknown) => logger.warn({ err: error, shard: other.id }, 'could not pass a change on to a shard'));
    }
  });
}

/** Asks each shard to stop as the bot stops on SIGTERM, and waits for it; one that does not in time is killed. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), SHARD_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** How many shards Discord recommends, and how many may identify at once. */
async function gatewayInfo(config: Config): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.token);
  const info = (await rest.get(Routes.gatewayBot())) as APIGatewayBotInfo;
  return { shards: info.shards, maxConcurrency: Math.max(1, info.session_start_limit.max_concurrency) };
}
