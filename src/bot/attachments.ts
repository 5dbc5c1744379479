import type { AttachmentOption } from './command.js';

/** Discord's CDN answers at once or not at all; a member waits for the reply meanwhile. */
const DOWNLOAD_TIMEOUT_MS = 10_000;

/** Reads a file a member uploaded with a command, refusing one larger than `maxBytes` before fetching it. */
export async function downloadAttachment(file: AttachmentOption, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new Error(`${file.name} is larger than ${maxBytes} bytes`);
  if (file.size > maxBytes) throw tooLarge();
  const response = await fetch(file.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`could not download ${file.name}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw tooLarge();
  return bytes;
}
