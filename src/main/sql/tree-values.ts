/** Reading constant values out of libpg-query parse trees (zero values are omitted from its JSON). */

type Fields = Record<string, unknown>;

/** Postgres's parse_bool: true/false/yes/no/on/off/1/0 and their unique prefixes. */
export function parseBool(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (!value) return undefined;
  if ('true'.startsWith(value) || 'yes'.startsWith(value) || value === 'on' || value === '1') return true;
  if ('false'.startsWith(value) || 'no'.startsWith(value) || value === 'off' || value === 'of' || value === '0')
    return false;
  return undefined;
}

/** The boolean a constant node stands for (A_Const, String, Integer, Boolean, 'x'::bool), if it is one. */
export function constantBoolean(node: unknown): boolean | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Fields;
  if (n.A_Const) return constantBoolean(unwrapConst(n.A_Const as Fields));
  if (n.TypeCast) {
    const cast = n.TypeCast as Fields;
    const names = ((cast.typeName as Fields | undefined)?.names as { String?: { sval?: string } }[] | undefined) ?? [];
    const type = names[names.length - 1]?.String?.sval;
    return type === 'bool' || type === 'boolean' ? constantBoolean(cast.arg) : undefined;
  }
  if (n.String) return parseBool(String((n.String as Fields).sval ?? ''));
  if (n.Integer) return Number((n.Integer as Fields).ival ?? 0) !== 0;
  if (n.Boolean) return Boolean((n.Boolean as Fields).boolval);
  return undefined;
}

/** The text of a string constant ('x', 'x'::text), if the node is one. */
export function constantString(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Fields;
  if (n.TypeCast) return constantString((n.TypeCast as Fields).arg);
  const value = n.A_Const ? unwrapConst(n.A_Const as Fields) : undefined;
  const sval = (value?.String as Fields | undefined)?.sval;
  return typeof sval === 'string' ? sval : undefined;
}

/** A_Const's one value as a plain node: { ival: {ival: 1} } → { Integer: { ival: 1 } }. */
function unwrapConst(constant: Fields): Fields | undefined {
  if ('ival' in constant) return { Integer: constant.ival };
  if ('sval' in constant) return { String: constant.sval };
  if ('boolval' in constant) return { Boolean: constant.boolval };
  return undefined;
}

/** A DefElem option's argument read as on/off; a bare option (`ANALYZE`) or an unreadable one counts as on. */
export function optionIsOn(arg: unknown): boolean {
  return arg === undefined ? true : constantBoolean(arg) !== false;
}

/** True when transaction options (BEGIN, SET TRANSACTION …) include READ WRITE (transaction_read_only = 0). */
export function readOnlyOff(options: unknown): boolean {
  if (!Array.isArray(options)) return false;
  return options.some((option) => {
    const def = (option as Fields).DefElem as Fields | undefined;
    return def?.defname === 'transaction_read_only' && constantBoolean(def.arg) !== true;
  });
}

/** For `SET transaction_read_only = value`: anything but a clear "on" turns read-only off. */
export function readOnlyTurnedOff(args: unknown): boolean {
  return !Array.isArray(args) || args.length !== 1 || constantBoolean(args[0]) !== true;
}

/** WHERE clauses that filter nothing: `true`, `'t'::bool`, `1 = 1`, `x OR true`, `NOT false`. */
export function isTriviallyTrue(expr: unknown): boolean {
  if (!expr || typeof expr !== 'object') return false;
  const n = expr as Fields;
  if (n.A_Const || n.TypeCast) return constantBoolean(n) === true;
  if (n.A_Expr) {
    const e = n.A_Expr as Fields;
    const op = ((e.name as { String?: { sval?: string } }[] | undefined) ?? [])[0]?.String?.sval;
    return e.kind === 'AEXPR_OP' && op === '=' && isConstant(e.lexpr) && sameConstant(e.lexpr, e.rexpr);
  }
  if (n.BoolExpr) {
    const b = n.BoolExpr as Fields;
    const args = (b.args as unknown[] | undefined) ?? [];
    if (b.boolop === 'OR_EXPR') return args.some(isTriviallyTrue);
    if (b.boolop === 'AND_EXPR') return args.every(isTriviallyTrue);
    if (b.boolop === 'NOT_EXPR') return args.length === 1 && constantBoolean(args[0]) === false;
  }
  return false;
}

function isConstant(node: unknown): boolean {
  return Boolean(node && typeof node === 'object' && (node as Fields).A_Const);
}

function sameConstant(a: unknown, b: unknown): boolean {
  const strip = (node: unknown) => {
    const { location: _ignored, ...rest } = ((node as Fields)?.A_Const ?? {}) as Fields;
    return JSON.stringify(rest);
  };
  return isConstant(b) && strip(a) === strip(b);
}
