/**
 * `shomei/issuer` — the signing side: a bank's link and transaction assertions, a relying party's
 * requests, a wallet's identity assertions (every party can be both, SHO-ROLE); keys, pluggable signers
 * for HSM and KMS, rotation, and Web-standard handlers for the metadata document and the JWKS.
 */
export { createIssuer, linkHash, requestHash, randomId } from './issuer/issue.js';
export type { Issuer, IssuerOptions, IssueOptions, Issued, RequestInput, LinkInput, TransactionInput, IdentityInput, VerifiedRequest, AnsweredRequest } from './issuer/issue.js';
export { createJwksHandler, createMetadataHandler } from './issuer/handlers.js';
export type { Handler, PublicationOptions } from './issuer/handlers.js';

export { generateKey } from './keys/generate.js';
export { importPem, importPrivateJwk } from './keys/import.js';
export { createLocalSigner, assertSigner } from './keys/signer.js';
export type { Signer, LocalSignerOptions } from './keys/signer.js';
export { KeyRing } from './keys/key-ring.js';
export { jwkThumbprint } from './keys/thumbprint.js';
export { toPublicJwk } from './keys/jwks.js';
export type { PublicJwk, PrivateJwk } from './keys/types.js';
export { signCompact } from './jws/sign.js';
export { derToJose, joseToDer } from './jws/ecdsa.js';

export { createBankEndpoints, seeOther } from './transport/bank-endpoints.js';
export type { BankEndpoints, BankEndpointsOptions, PushedRequestRecord, IssuedCodeRecord, AuthorizationStart } from './transport/bank-endpoints.js';
export { createMemoryOneTimeStore } from './transport/one-time-store.js';
export type { OneTimeStore, PeekableOneTimeStore, TakeResult, MemoryOneTimeStoreOptions } from './transport/one-time-store.js';
