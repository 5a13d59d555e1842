import { deniedFunctions } from './denied-functions';
import { harmlessFunctionNames, harmlessOperatorNames, harmlessTypeNames } from './pg15-builtins';

const harmlessFunctions = new Set(harmlessFunctionNames);
const harmlessOperators = new Set(harmlessOperatorNames);
const harmlessTypes = new Set(harmlessTypeNames);

/** Schemas whose functions are the server's own; a call qualified with any other is a user function. */
const systemSchemas = new Set(['pg_catalog']);

/** The name as written: `[schema, name]`, lowercased (the parser already folded unquoted names). */
export type QualifiedName = [schema: string | undefined, name: string];

/**
 * The reason a function call adds, by allowlist: denied names say why (with the name as detail);
 * names on the generated list of harmless Postgres 15 built-ins add nothing; every other name, and
 * any call qualified with a schema other than pg_catalog, is `unknown_function` until the server's
 * catalog proves it harmless.
 */
export function reasonForFunction([schema, name]: QualifiedName): string | undefined {
  const code = deniedFunctions[name];
  if (code) return code === 'sequence_change' || code === 'notify' ? code : `${code}:${name}`;
  if (schema !== undefined && !systemSchemas.has(schema)) return `unknown_function:${schema}.${name}`;
  return harmlessFunctions.has(name) ? undefined : `unknown_function:${name}`;
}

/** The reason an operator adds: none for built-in operator names, else `unknown_operator`. */
export function reasonForOperator([schema, name]: QualifiedName): string | undefined {
  if (schema !== undefined && !systemSchemas.has(schema)) return `unknown_operator:${schema}.${name}`;
  return harmlessOperators.has(name) ? undefined : `unknown_operator:${name}`;
}

/**
 * The reason a cast to a type adds (`x::t`, `CAST(x AS t)`, `t 'x'`, a column definition list):
 * none for the generated list of Postgres 15 built-in types, else `unknown_type` until the server's
 * catalog proves the type harmless. A cast runs the type's input function, a domain's CHECK
 * expressions and any user cast function, none of which this text shows.
 */
export function reasonForType([schema, name]: QualifiedName): string | undefined {
  if (schema !== undefined && !systemSchemas.has(schema)) return `unknown_type:${schema}.${name}`;
  return harmlessTypes.has(name) ? undefined : `unknown_type:${name}`;
}

/** A qualified name out of a parse tree's list of String nodes (funcname, opname). */
export function qualifiedName(names: unknown): QualifiedName | undefined {
  const parts = ((names as { String?: { sval?: string } }[] | undefined) ?? []).map((n) => n.String?.sval);
  const name = parts[parts.length - 1];
  if (!name) return undefined;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return [schema, name];
}
