import { basename, join } from 'node:path';
import type { ParsedInputOf, TemplateRef } from '../../shared/contract';
import type { RehearsalMode, RehearsalReport, RehearsedStatement } from '../../shared/contract/sandbox';
import type { EventPayloadInput } from '../../shared/incident';
import { defaultMaskPatterns, type ProfileView } from '../../shared/profile';
import type { SqlClassification } from '../../shared/risk';
import type { RunbookPlan, RunbookStep } from '../../shared/runbook';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import { classifySqlAsync, initSqlClassifier } from '../sql/classifier';
import type { ProfileRepository } from '../store/profile-repository';
import { rehearseStatements, type StatementToRehearse } from './rehearse-statements';
import { loadSampleCopy, readSampleCopy, sampleCopyRowLimit, type SampleCopy } from './sample-copy';
import { notAReadReason, predicateQueries } from './sample-reader';
import type { SandboxEngine } from './sandbox-engine';
import { leadingWords } from '../postgres/statement-traits';
import type { SandboxRegistry } from './sandbox-registry';
import { applyShape } from './sandbox-shaper';
import type { Shape } from './shape';
import { age, ShapeCache, shapeCovers } from './shape-cache';
import { readShapeReadOnly } from './shape-reader';
import { statementRelations, type Relation } from './statement-relations';

export interface RehearsalServiceDeps {
  profiles: ProfileRepository;
  connections: PgConnectionRegistry;
  sandboxes: SandboxRegistry;
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  renderTemplate(
    profileId: string,
    template: TemplateRef,
    params: Record<string, unknown>,
  ): Promise<{ sql: string; values: unknown[] }>;
  /** A runbook of the library by path, or one given as text (named by its file's name). */
  openRunbook(source: { path: string } | { text: string; name: string }): Promise<RunbookPlan>;
  /** A run waiting for its confirmation: what it would run, with its bound values. */
  pendingRun(runId: string): { profileId: string; sql: string; values: unknown[] } | undefined;
  record(kind: 'rehearsal', payload: EventPayloadInput<'rehearsal'>): void;
  now: () => Date;
  /** The most synthetic rows per table (100,000 by default). */
  rowCap?: number;
}

/** What one source (a step) runs; a runbook step also captures values and binds again with them. */
type Source = { sql: string; values: unknown[] } & Pick<StatementToRehearse, 'captures' | 'bind'>;

/**
 * Rehearsals: the profile's shape (read through the read-only path only) applied in its
 * sandbox with synthetic rows, the statements run there in a rolled-back transaction.
 */
export class RehearsalService {
  constructor(private readonly deps: RehearsalServiceDeps) {}

  async rehearse(input: ParsedInputOf<'sandbox.rehearse'>): Promise<RehearsalReport> {
    const profile = this.deps.profiles.get(input.profileId);
    const mode = this.checkMode(profile, input.mode);
    const sources = await this.sources(profile.id, input);
    await initSqlClassifier();
    const statements: (StatementToRehearse & { relations: Relation[] })[] = [];
    for (const source of sources) statements.push(...(await this.split(profile.id, source)));
    const relations = statements.flatMap((s) => s.relations);
    const notices: string[] = [];
    // The engine starts (a second or so) while the shape is read from the server.
    const opening = this.deps.sandboxes.open(profile, 'rehearsal', { notice: (message) => notices.push(message) });
    opening.catch(() => undefined);
    let results: RehearsedStatement[];
    let applied: Awaited<ReturnType<typeof applyShape>>;
    let shape: Shape;
    try {
      shape = await this.shape(profile, relations, input.refreshShape, notices);
      const copy = mode === 'sample' ? await this.sampleCopy(profile, statements, shape, notices) : undefined;
      const engine = await opening;
      applied = await applyShape(engine, shape, this.deps.rowCap);
      for (const statement of statements)
        statement.cannot ??= this.cannot(statement.relations, shape, applied.missingTables);
      const prepare = copy ? () => this.loadCopy(engine, copy, shape, applied.missingTables, notices) : undefined;
      results = await rehearseStatements(engine, statements, mode, applied.scale, prepare);
      if (copy) reconcile(copy, results, notices);
    } finally {
      this.deps.sandboxes.release(profile.id, 'rehearsal');
    }
    const report: RehearsalReport = {
      profile: profile.name,
      mode,
      shapeTakenAt: shape.takenAt,
      unreproduced: applied.unreproduced,
      statements: results,
      ...(notices.length ? { notices } : {}),
    };
    this.recordReport(profile, report);
    return report;
  }

  private checkMode(profile: ProfileView, mode: RehearsalMode): RehearsalMode {
    if (mode === 'sample' && profile.rehearsalSample !== true) {
      throw new OpsError(
        'refused',
        `Sample mode is off for "${profile.name}": it copies (masked) rows from the server. Turn it on with "opsconsole profiles edit ${profile.name} --rehearsal-sample true --allow-downgrade", or rehearse in shaped mode.`,
      );
    }
    return mode;
  }

  private async sources(profileId: string, input: ParsedInputOf<'sandbox.rehearse'>): Promise<Source[]> {
    if (input.sql !== undefined) return [{ sql: input.sql, values: [] }];
    if (input.runId !== undefined) {
      const pending = this.deps.pendingRun(input.runId);
      if (!pending || pending.profileId !== profileId)
        throw new OpsError(
          'not_found',
          `No run ${input.runId} of this profile is waiting for a confirmation: it was committed, rolled back or timed out. Run it again to rehearse it.`,
        );
      return [{ sql: pending.sql, values: pending.values }];
    }
    if (input.template) return [await this.deps.renderTemplate(profileId, input.template, input.params)];
    const text = input.runbookText;
    const plan = await this.deps.openRunbook(
      text === undefined ? { path: input.runbook! } : { text, name: basename(input.runbook!) },
    );
    const unknown = input.steps.filter((id) => !plan.steps.some((s) => s.id === id));
    if (unknown.length)
      throw new OpsError(
        'invalid_input',
        `steps ${unknown.join(', ')} are not in ${input.runbook} (its steps: ${plan.steps.map((s) => s.id).join(', ')}).`,
      );
    const steps = plan.steps.filter(
      (s) => s.target === 'postgres' && (!input.steps.length || input.steps.includes(s.id)),
    );
    if (!steps.length)
      throw new OpsError(
        'invalid_input',
        `${input.runbook} has no SQL step to rehearse${input.steps.length ? ' among the steps named' : ''}.`,
      );
    const out: Source[] = [];
    const captured = new Set<string>();
    for (const step of steps) {
      out.push(await this.stepSource(profileId, { runbook: input.runbook!, text }, step, input.params, captured));
      for (const capture of step.captures ?? []) captured.add(capture.name);
    }
    return out;
  }

  /**
   * A step rendered with the typed values; bound again, when its turn comes, with the values the
   * earlier steps captured in the sandbox (a typed value wins, as in a real run). Values are bound
   * as $n, so the statement's text, and what it touches, does not change with them.
   */
  private async stepSource(
    profileId: string,
    { runbook, text }: { runbook: string; text?: string },
    step: RunbookStep,
    typed: Record<string, unknown>,
    capturedBefore: Set<string>,
  ): Promise<Source> {
    const captures = step.captures?.length ? { captures: step.captures } : {};
    if (!step.parameters.length) return { sql: step.text, values: [], ...captures };
    const ref = text === undefined ? { runbook, step: step.id } : { runbook, step: step.id, text };
    // Left to an earlier step's capture: the first render only needs a value of the right type.
    const awaited = step.parameters
      .map((p) => p.name)
      .filter((name) => capturedBefore.has(name) && (typed[name] === undefined || typed[name] === ''));
    const bind = async (variables: Record<string, string>) => {
      const missing = awaited.filter((name) => variables[name] === undefined);
      if (missing.length)
        throw new OpsError(
          'invalid_input',
          `no value captured for ${missing.join(', ')} (the earlier step's result had no such row or column)`,
        );
      return (
        await this.deps.renderTemplate(profileId, ref, {
          ...typed,
          ...Object.fromEntries(awaited.map((name) => [name, variables[name]])),
        })
      ).values;
    };
    const first = awaited.length
      ? await this.placeholderRender(profileId, ref, typed, awaited)
      : await this.deps.renderTemplate(profileId, ref, typed);
    return { ...first, ...captures, ...(awaited.length ? { bind } : {}) };
  }

  /** The step's text, rendered with a stand-in of some type for each value still to be captured (replaced before it runs). */
  private async placeholderRender(
    profileId: string,
    ref: TemplateRef,
    typed: Record<string, unknown>,
    awaited: string[],
  ): Promise<Source> {
    let last: unknown;
    for (const stand of ['0', '00000000-0000-0000-0000-000000000000', '1970-01-01T00:00:00Z', 'true', 'x']) {
      try {
        return await this.deps.renderTemplate(profileId, ref, {
          ...typed,
          ...Object.fromEntries(awaited.map((name) => [name, stand])),
        });
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }

  private async split(profileId: string, source: Source): Promise<(StatementToRehearse & { relations: Relation[] })[]> {
    const classification = await this.classify(source.sql, profileId);
    return classification.statements.map((statement) => {
      const relations = statementRelations(statement.text);
      const target = relations[0];
      return {
        sql: statement.text,
        values: source.values,
        captures: source.captures,
        bind: source.bind,
        risk: statement.risk,
        relations,
        ...(target ? { target: target[0] ? `${target[0]}.${target[1]}` : `public.${target[1]}` } : {}),
        ...(statement.error ? { cannot: `it does not parse (${statement.error})` } : {}),
      };
    });
  }

  /**
   * Sample mode: the rows each UPDATE/DELETE's own predicate selects on the server, with their
   * foreign-key parents, masked, read through the read-only path as the read role. A predicate
   * whose SELECT is not a read, or a statement of another form, runs on shaped rows and says why.
   */
  private async sampleCopy(
    profile: ProfileView,
    statements: StatementToRehearse[],
    shape: Shape,
    notices: string[],
  ): Promise<SampleCopy | undefined> {
    const requests = [];
    for (const [index, statement] of statements.entries()) {
      if (statement.cannot || !['update', 'delete'].includes(leadingWords(statement.sql, 1))) continue;
      const queries = predicateQueries(statement.sql, sampleCopyRowLimit);
      const table = shape.tables.find((t) => `${t.schema}.${t.name}` === statement.target);
      const why = statement.bind
        ? // The server's count would be for a stand-in, not for the value the earlier step captures.
          "its values come from an earlier step's capture, known only once that step has run in the sandbox"
        : !queries
          ? 'it is not a plain UPDATE/DELETE … WHERE'
          : !table
            ? 'its table is not in the shape'
            : notAReadReason([
                await this.classify(queries.count, profile.id),
                await this.classify(queries.rows, profile.id),
              ]);
      if (why) {
        statement.mode = 'shaped';
        notices.push(`Statement ${index + 1} runs on shaped rows instead of a sample: ${why}.`);
      } else requests.push({ index, table: table!, queries: queries!, values: statement.values });
    }
    if (!requests.length) return undefined;
    const side = await this.deps.connections.openSide(profile.id, 'read');
    const copy = await readSampleCopy(
      side.client,
      requests,
      shape,
      profile.maskPatterns ?? [...defaultMaskPatterns],
    ).finally(() => side.close());
    notices.push(
      `Sample: ${[...copy.tables].map(([table, rows]) => `${rows.length} row(s) of ${table}`).join(', ')} copied from the server (masked), the statements ran on them.${copy.partial.length ? ` Partial: ${copy.partial.join('; ')}.` : ''}`,
    );
    return copy;
  }

  /** The copy goes in inside a savepoint: rows that do not fit the sandbox leave the shaped rows in place, said so. */
  private async loadCopy(
    engine: SandboxEngine,
    copy: SampleCopy,
    shape: Shape,
    missing: Set<string>,
    notices: string[],
  ): Promise<void> {
    await engine.query('SAVEPOINT sample_copy');
    try {
      await loadSampleCopy(engine, copy, shape, missing);
      await engine.query('RELEASE SAVEPOINT sample_copy');
    } catch (error) {
      await engine.query('ROLLBACK TO SAVEPOINT sample_copy');
      notices.push(
        `The copied rows could not be loaded into the sandbox (${(error as Error).message}): the statements ran on shaped rows; the counts are the server's.`,
      );
    }
  }

  /**
   * The catalog-aware classification, or the parser's alone when the catalog does not answer in
   * time (its lookups queue behind a previewed write held open on the profile's connection).
   */
  private async classify(sql: string, profileId: string): Promise<SqlClassification> {
    let timer: NodeJS.Timeout | undefined;
    const fallback = new Promise<SqlClassification>(
      (resolve) => (timer = setTimeout(() => resolve(classifySqlAsync(sql)), 3_000)),
    );
    try {
      // An unreachable server (offline, cached shape) classifies by the parser alone too.
      return await Promise.race([this.deps.classify(sql, profileId).catch(() => classifySqlAsync(sql)), fallback]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The cached shape when it covers the statements; else read from the server; offline: the cache, marked stale. */
  private async shape(
    profile: ProfileView,
    relations: Relation[],
    refresh: boolean,
    notices: string[],
  ): Promise<Shape> {
    const cache = new ShapeCache(join(this.deps.sandboxes.folder(profile.id, 'rehearsal'), 'shape.json'));
    const cached = cache.read();
    if (cached && !refresh && shapeCovers(cached, relations)) return cached;
    const names = [...new Set(relations.map(([schema, name]) => (schema ? `"${schema}"."${name}"` : `"${name}"`)))];
    try {
      // Its own short-lived connection: the profile's main one may be holding a previewed write
      // open ("Rehearse first" in the break-glass dialog), and queueing behind it would deadlock.
      // As the read role (when the profile has one), like every read of the server.
      const side = await this.deps.connections.openSide(profile.id, 'read');
      const shape = await readShapeReadOnly(side.client, names, this.deps.now().toISOString()).finally(() =>
        side.close(),
      );
      cache.write(shape);
      return shape;
    } catch (error) {
      if (!cached)
        throw new OpsError(
          'pg_error',
          `Could not read the shape of "${profile.name}" from its server (${(error as Error).message}) and no shape is cached: connect and try again.`,
          { cause: error },
        );
      notices.push(
        `The server could not be reached (${(error as Error).message}): using the shape taken ${age(cached.takenAt, this.deps.now())} ago (stale).`,
      );
      return cached;
    }
  }

  private cannot(relations: Relation[], shape: Shape, missing: Set<string>): string | undefined {
    for (const [schema, name] of relations) {
      const table = shape.tables.find((t) => t.name === name && (!schema || t.schema === schema));
      if (!table) continue; // a CTE name, or a relation the server does not have: the sandbox answers as the server would
      if (missing.has(table.qualified)) return `${table.qualified} could not be made in the sandbox (see unreproduced)`;
    }
    return undefined;
  }

  private recordReport(profile: ProfileView, report: RehearsalReport): void {
    const failed = report.statements.filter((s) => s.outcome === 'error').length;
    this.deps.record('rehearsal', {
      profileId: profile.id,
      profileName: profile.name,
      mode: report.mode,
      sql: report.statements
        .map((s) => s.sql)
        .join(';\n')
        .slice(0, 1_000_000),
      statements: report.statements.length,
      failed,
      rowsAffected: report.statements.reduce((sum, s) => sum + s.rowsAffected, 0),
      locks: report.statements.flatMap((s) => s.locks.map((l) => `${l.mode} on ${l.relation}`)).slice(0, 50),
      unreproduced: report.unreproduced.length,
      shapeTakenAt: report.shapeTakenAt,
    });
  }
}

/**
 * Each sampled statement reports the server's exact count; where the sandbox's copy gave another
 * (the copy limit, a predicate on masked columns), a notice says so.
 */
function reconcile(copy: SampleCopy, results: RehearsedStatement[], notices: string[]): void {
  for (const [index, count] of copy.counts) {
    const result = results[index];
    if (!result || result.outcome !== 'ok') continue;
    if (result.rowsAffected !== count)
      notices.push(
        `Statement ${index + 1}: the sandbox's copy matched ${result.rowsAffected} row(s), the server's predicate selects ${count} (copy limit, or a predicate on masked columns); ${count} is reported.`,
      );
    result.rowsAffected = count;
    result.estimated = false;
  }
}
