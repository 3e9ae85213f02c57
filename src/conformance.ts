// Placeholder entry so the build works; the lead replaces this file.
export { ERROR_CODES, isErrorCode } from './errors/codes.js';
export type { ErrorCode } from './errors/codes.js';
export { ShomeiError } from './errors/shomei-error.js';
