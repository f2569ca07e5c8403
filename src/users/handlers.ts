import { uuidv7 } from 'uuidv7';
import { passwordProblem } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import type { Handler } from '../http/context.js';
import { conflict, notFound, validationFailed } from '../http/problem.js';
import { toUser } from './mapping.js';
import * as users from './repository.js';

const missing = (id: string) => notFound(`No user has the id ${id}.`);

export const registerUser: Handler<'registerUser'> = async ({ body }, ctx) => {
  const weak = passwordProblem(body.password, body.email, '/password');
  if (weak) return validationFailed([weak]);
  const row = await users.insertUser(ctx.db, {
    id: uuidv7(),
    email: body.email.toLowerCase(),
    password_hash: await hashPassword(body.password, ctx.auth.config.passwordHashCost),
    role: 'user',
    created_at: new Date().toISOString(),
  });
  if (row === 'duplicate') return conflict('An account with this e-mail address exists already. Sign in instead.');
  return { status: 201, headers: { Location: ctx.url(`/users/${row.id}`) }, body: toUser(row) };
};

export const getCurrentUser: Handler<'getCurrentUser'> = async ({ principal }, ctx) => {
  const row = await users.findUser(ctx.db, principal.userId);
  if (!row) throw new Error('an authenticated user has no row');
  return { status: 200, body: toUser(row) };
};

export const getUser: Handler<'getUser'> = async ({ path }, ctx) => {
  const row = await users.findUser(ctx.db, path.userId);
  return row ? { status: 200, body: toUser(row) } : missing(path.userId);
};

export const deleteUser: Handler<'deleteUser'> = async ({ path }, ctx) => {
  return (await users.deleteUser(ctx.db, path.userId)) ? { status: 204 } : missing(path.userId);
};
