import { z } from 'zod';

/** The argument schemas the tools share: each message names the problem and the fix. */
export const profileArg = z
  .string()
  .min(1, 'is empty: name a profile (profiles_list gives them)')
  .max(80, 'is longer than 80 characters: give a profile name from profiles_list');

/** Longest SQL text an assistant may send: far beyond any real query, far below a pasted dump. */
export const maxAssistantSql = 100_000;

export const sqlArg = z
  .string()
  .min(1, 'is empty: give one SQL statement')
  .max(maxAssistantSql, `is longer than ${maxAssistantSql} characters: send one query, not a dump`)
  .refine((text) => !text.includes('\u0000'), 'contains a NUL byte, which Postgres never accepts: remove it');

export const argvArg = z
  .array(
    z
      .string()
      .max(10_000, 'has an argument longer than 10000 characters: send a shorter one')
      .refine((a) => !a.includes('\u0000'), 'has a NUL byte in an argument: remove it'),
  )
  .min(1, 'is empty: give the command and its arguments, e.g. ["GET", "key"]')
  .max(1000, 'has more than 1000 arguments: split the command');

export const whyArg = z
  .string()
  .trim()
  .min(1, 'is empty: say why the change is needed')
  .max(5000, 'is longer than 5000 characters: say it in a paragraph');
