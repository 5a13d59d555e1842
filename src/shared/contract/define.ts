import type { z } from 'zod';

/** One operation of the contract: its zod input schema and (as a phantom type) its output. */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Never read at run time: carries the output type. */
  readonly output?: O;
  readonly summary: string;
}

/** Declares an operation; call as `operation<Output>()(inputSchema, summary)`. */
export function operation<O>() {
  return <I extends z.ZodType>(input: I, summary: string): OperationSpec<I, O> => ({ input, summary });
}

/** One event the core pushes to the renderer; the payload type is a phantom. */
export interface EventSpec<P = unknown> {
  readonly payload?: P;
  readonly summary: string;
}

export function event<P>(summary: string): EventSpec<P> {
  return { summary };
}
