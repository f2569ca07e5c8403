import { dictionary } from '@zxcvbn-ts/language-common';
import type { ValidationIssue } from '../http/problem.js';

// NIST SP 800-63B §5.1.1.2 (memorized secrets): length counted after normalization, any characters, no
// composition rules, but refused when found in a list of commonly used or breached passwords, when repetitive,
// or when context-specific (the account's own e-mail address).

/** zxcvbn-ts's list of common and breached passwords (about 49,000, lower case), held as a set. */
const common = new Set(dictionary['passwords-common']);

const minLength = 8;
const maxLength = 128;
const minDistinct = 4;

/**
 * Why a new password is refused, as the issue a 400 problem lists (pointer to the field), or undefined when it
 * may be used. Rules are checked in this order and the first that fails is named.
 */
export function passwordProblem(password: string, email: string, pointer: string): ValidationIssue | undefined {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  const refuse = (detail: string): ValidationIssue => ({ location: 'body', pointer, detail });
  if (length < minLength) return refuse(`must have at least ${minLength} characters (after NFKC normalization)`);
  if (length > maxLength) return refuse(`must have at most ${maxLength} characters (after NFKC normalization)`);
  const lower = normalized.toLowerCase();
  if (new Set(lower).size < minDistinct) {
    return refuse(`must not be repetitive: use at least ${minDistinct} different characters`);
  }
  if (common.has(lower)) return refuse('is one of the most common or breached passwords; choose another');
  const address = email.normalize('NFKC').toLowerCase();
  if (address.includes(lower)) return refuse('must not be the e-mail address or a part of it');
  return undefined;
}
