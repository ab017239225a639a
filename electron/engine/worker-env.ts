/**
 * The environment a worker process starts with: the parent's, less what only costs a worker
 * time. Workers open no network connections, so NODE_EXTRA_CA_CERTS (which makes every Node
 * process parse a CA bundle as it starts: 50 ms each on the development VM) is left out.
 */
export function workerEnv(slot: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, LOGPOOL_WORKER_SLOT: String(slot) };
  delete out.NODE_EXTRA_CA_CERTS;
  return out;
}
