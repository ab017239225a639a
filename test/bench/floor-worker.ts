/**
 * The benchmark's floor job: gunzip one file to nothing (the least any reader must do), with the
 * engine's read and inflate chunk sizes.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { detectChannel, serveTasks } from '../../electron/worker/serve-tasks';

export async function gunzipToNothing(file: string): Promise<number> {
  let out = 0;
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of input.pipe(createGunzip({ chunkSize: 1 << 20 }))) out += (chunk as Buffer).length;
  return out;
}

if (process.env.LOGPOOL_WORKER_SLOT) {
  void detectChannel<string, number, never>().then((channel) => serveTasks((file) => gunzipToNothing(file), channel));
}
