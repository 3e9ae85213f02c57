/**
 * `shomei/node` — the pieces that need Node.js: the node:crypto backend (faster than WebCrypto on Node),
 * key files, the hash-chained file decision log and its audit tools, and the Redis replay store shared
 * by many verifier instances.
 */
export { nodeCryptoBackend, createNodeCryptoBackend } from './crypto/node.js';
export type { NodeCryptoBackendOptions } from './crypto/node.js';
export { loadKeyFile } from './keys/key-file.js';
export { createNodeSigner } from './keys/node-signer.js';
export type { NodeSignerOptions } from './keys/node-signer.js';
export { createFileDecisionLog } from './decision-log/file-decision-log.js';
export { verifyAuditFiles, exportAudit, verifyAuditExport } from './decision-log/audit.js';
export { createRedisReplayStore } from './replay/redis-replay-store.js';
export type { RedisClientLike, RedisReplayStore, RedisReplayStoreOptions } from './replay/redis-replay-store.js';
