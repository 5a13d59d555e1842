import { fenceAttributeNames, stepTargets, type RunbookBlock, type RunbookDiagnostic, type RunbookPlan, type RunbookSection, type RunbookStep } from '../../shared/runbook';
import type { SqlClassifier } from './classifier';
import { fenceSteps, isRunnableLanguage, parseFenceInfo } from './fence-steps';
import { mentionedCommands } from './mentions';
import { announcesOutput, outputLanguages, referenceStep } from './reference-steps';
import { splitFrontmatter } from './frontmatter';
import { walkMarkdown, type MarkdownItem } from './markdown-walk';
import { assignedVariables, collectStepParameters, ParameterRegistry } from './parameters';
import { resetPlaceholderCache } from './placeholders';
import { resetShellCache } from './shell-syntax';
import { stepLinks } from './step-links';
import { classifyStep } from './step-classification';
import type { StepDraft } from './step-draft';

export interface ImportOptions {
  /** Shown in diagnostics and kept on the plan. */
  path?: string;
  /** The SQL classifier (src/main/sql): gives each SQL statement its risk and reasons. */
  classify: SqlClassifier;
}

/**
 * Turns a markdown runbook, written for the console or not, into a RunbookPlan: sections, steps
 * with risk and parameters, checklists, tables, callouts and prose. It never throws on content:
 * what it cannot read becomes a diagnostic or stays prose.
 */
export async function importRunbook(source: string, options: ImportOptions): Promise<RunbookPlan> {
  resetShellCache();
  resetPlaceholderCache();
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { frontmatter, body, diagnostics, unusable } = splitFrontmatter(text);
  const items = walkMarkdown(body);
  const titleItem = items.find((item) => item.type === 'heading');
  const titleIsHeading = titleItem?.type === 'heading' && titleItem.level === 1;
  const title = frontmatter.title ?? (titleIsHeading ? titleItem.text : undefined) ?? titleFromPath(options.path);
  const builder = new PlanBuilder(frontmatter.title === undefined && titleIsHeading ? titleItem : undefined, diagnostics, new ParameterRegistry(frontmatter, diagnostics, unusable));
  for (const item of items) builder.add(item);
  await Promise.all(builder.pending.map(({ draft, step }) => classifyStep(draft, step, options.classify, builder.registry, diagnostics)));
  for (const step of builder.steps) {
    step.parameters = step.parameters.map((p) => ({ name: p.name, type: builder.registry.get(p.name)?.type ?? p.type, secret: builder.registry.get(p.name)?.secret ?? p.secret }));
  }
  return {
    title,
    ...(options.path ? { path: options.path } : {}),
    metadata: {
      ...(frontmatter.service ? { service: frontmatter.service } : {}),
      owners: frontmatter.owners ?? [],
      environments: frontmatter.environments ?? [],
      tags: frontmatter.tags ?? [],
      ...(frontmatter.description ? { description: frontmatter.description } : {}),
    },
    parameters: builder.registry.list(),
    ...(frontmatter.variables ? { variables: frontmatter.variables } : {}),
    sections: builder.sections.filter((s) => s.blocks.length > 0 || s.slug !== ''),
    steps: builder.steps,
    diagnostics: diagnostics.sort((a, b) => a.line - b.line),
  };
}

function titleFromPath(path: string | undefined): string {
  const base = path?.split(/[\\/]/).pop()?.replace(/\.md$/i, '');
  return base && base.toLowerCase() !== 'readme' ? base : (path?.split(/[\\/]/).slice(-2, -1)[0] ?? 'Untitled runbook');
}

/** Accumulates sections, blocks and steps as the markdown items arrive in order. */
class PlanBuilder {
  readonly sections: RunbookSection[] = [{ slug: '', heading: '', level: 0, path: [], line: 1, blocks: [] }];
  readonly steps: RunbookStep[] = [];
  readonly pending: { draft: StepDraft; step: RunbookStep }[] = [];
  private readonly headingStack: { level: number; text: string }[] = [];
  private readonly slugCounts = new Map<string, number>();
  private readonly stepCounts = new Map<string, number>();
  private readonly ids = new Set<string>();
  /** The last two items, most recent first: an output block looks back at them. */
  private readonly previous: MarkdownItem[] = [];
  private readonly stepfulFences = new Set<MarkdownItem>();

  constructor(
    private readonly titleHeading: MarkdownItem | undefined,
    private readonly diagnostics: RunbookDiagnostic[],
    readonly registry: ParameterRegistry,
  ) {}

  private get section(): RunbookSection {
    return this.sections[this.sections.length - 1]!;
  }

  add(item: MarkdownItem): void {
    this.addItem(item);
    if (item.type === 'prose') this.addMentions(item);
    this.previous.unshift(item);
    this.previous.length = Math.min(this.previous.length, 2);
  }

  private addItem(item: MarkdownItem): void {
    if (item.type === 'heading') return this.addHeading(item);
    if (item.type === 'fence') return this.addFence(item);
    if (item.type === 'checklist') return this.addChecklist(item);
    const last = this.section.blocks.at(-1);
    if (item.type === 'table') this.section.blocks.push({ type: 'table', line: item.line, header: item.header, rows: item.rows });
    else if (item.type === 'callout') this.section.blocks.push({ type: 'callout', line: item.line, kind: item.kind, markdown: item.markdown });
    else if (last?.type === 'prose' && last.line + last.markdown.split('\n').length >= item.line) last.markdown += `\n\n${item.markdown}`;
    else this.section.blocks.push({ type: 'prose', line: item.line, markdown: item.markdown });
  }

  private addHeading(item: Extract<MarkdownItem, { type: 'heading' }>): void {
    if (item === this.titleHeading) return;
    while (this.headingStack.length > 0 && this.headingStack.at(-1)!.level >= item.level) this.headingStack.pop();
    this.headingStack.push({ level: item.level, text: item.text });
    const base = slugify(item.text) || 'section';
    const seen = this.slugCounts.get(base) ?? 0;
    this.slugCounts.set(base, seen + 1);
    const slug = seen === 0 ? base : `${base}-${seen}`;
    this.sections.push({ slug, heading: item.text, level: item.level, path: this.headingStack.map((h) => h.text), line: item.line, blocks: [] });
  }

  private addFence(item: Extract<MarkdownItem, { type: 'fence' }>): void {
    const { language, attributes } = parseFenceInfo(item.info);
    for (const name of Object.keys(attributes)) {
      if (!(fenceAttributeNames as readonly string[]).includes(name)) {
        this.diagnostics.push({ line: item.line, severity: 'error', code: 'unknown-fence-attribute', message: `unknown fence attribute "${name}": use one of ${fenceAttributeNames.join(', ')}` });
      }
    }
    if (attributes.target && ![...stepTargets, 'none'].includes(attributes.target)) {
      this.diagnostics.push({ line: item.line, severity: 'error', code: 'unknown-fence-attribute', message: `target="${attributes.target}" is not a target: use postgres, redis, terminal, http or none` });
    }
    let drafts: StepDraft[] = [];
    if (isRunnableLanguage(language) && attributes.target !== 'none') {
      try {
        drafts = fenceSteps(language, item.text);
      } catch (error) {
        this.diagnostics.push({ line: item.line, severity: 'warning', code: 'unreadable-block', message: `this block was kept as text: ${(error as Error).message}` });
      }
    }
    const block: RunbookBlock = { type: 'code', line: item.line, language: language || null, text: item.text, stepIds: [] };
    this.section.blocks.push(block);
    if (drafts.length === 0 && attributes.target !== 'none' && item.text.trim()) {
      if (this.attachAsOutput(item, language)) return;
      drafts = [referenceStep(language, item.text)];
      if (language === '') this.diagnostics.push({ line: item.line, severity: 'warning', code: 'unlabelled-block', message: 'an unlabelled block that reads as neither commands nor SQL is kept for reference: label the fence (```text, ```yaml…), or put "Output:" before it if it is output' });
    }
    this.stepfulFences.add(item);
    const assigned = assignedVariables(item.text);
    drafts.forEach((draft, index) => {
      const step = this.stepFrom(draft, item, language, attributes, index);
      block.stepIds.push(step.id);
      for (const [literal, replacement] of collectStepParameters(draft, step, this.registry, assigned, this.diagnostics)) {
        if (block.type === 'code') block.text = block.text.split(literal).join(replacement);
      }
      this.pending.push({ draft, step });
    });
  }

  private stepFrom(draft: StepDraft, item: Extract<MarkdownItem, { type: 'fence' }>, language: string, attributes: Record<string, string>, index: number): RunbookStep {
    const named = attributes.name ? (index === 0 ? attributes.name : `${attributes.name}-${index + 1}`) : undefined;
    if (named && index === 0 && this.ids.has(named)) {
      this.diagnostics.push({ line: item.line, severity: 'warning', code: 'duplicate-name', message: `name=${named} is used by an earlier block: step ids must be unique, rename one of them` });
    }
    const target = attributes.target && (stepTargets as readonly string[]).includes(attributes.target) ? (attributes.target as RunbookStep['target']) : draft.target;
    const step: RunbookStep = {
      id: this.uniqueId(named),
      line: item.contentLine + draft.offset,
      endLine: item.contentLine + Math.max(draft.endOffset - 1, draft.offset),
      section: this.section.path,
      kind: draft.kind,
      target,
      text: draft.text,
      statements: draft.statements,
      risk: 'read',
      parameters: [],
      language: language || null,
      attributes,
      confirm: attributes.confirm === 'true',
      notes: draft.notes,
    };
    // The card's title: title=, else the block's first comment line, else the author's name=.
    const title = attributes.title ?? draft.title ?? attributes.name;
    if (title) step.title = title;
    Object.assign(step, stepLinks(attributes, item.line, this.diagnostics));
    for (const key of ['connection', 'engine', 'http', 'redis', 'expectedOutput', 'runsIn', 'script', 'commands', 'sniffed'] as const) if (draft[key] !== undefined) Object.assign(step, { [key]: draft[key] });
    this.steps.push(step);
    return step;
  }

  /** A block of output after a step ("Output:" before it, or a ```text block right after): the step's expected output. */
  private attachAsOutput(item: Extract<MarkdownItem, { type: 'fence' }>, language: string): boolean {
    const [before, beforeThat] = this.previous;
    const afterStep = (candidate: MarkdownItem | undefined) => candidate?.type === 'fence' && this.stepfulFences.has(candidate);
    const announced = before?.type === 'prose' && announcesOutput(before.markdown) && afterStep(beforeThat);
    const plain = (outputLanguages.has(language) || language === '') && afterStep(before);
    const step = this.steps.at(-1);
    if (!(announced || plain) || !step || step.kind === 'checklist' || step.expectedOutput) return false;
    step.expectedOutput = item.text.trimEnd();
    return true;
  }

  /** Inline code in prose that reads as a command of a known CLI: an optional step, "mentioned in the text". */
  private addMentions(item: Extract<MarkdownItem, { type: 'prose' }>): void {
    const found = mentionedCommands(item.markdown);
    if (found.length === 0) return;
    const block: RunbookBlock = { type: 'code', line: item.line, language: null, text: found.map((f) => f.code).join('\n'), stepIds: [] };
    for (const { code, lineOffset } of found) {
      for (const draft of fenceSteps('bash', code)) {
        const step = this.stepFrom({ ...draft, offset: 0, endOffset: 1 }, { type: 'fence', line: item.line + lineOffset, info: '', text: code, contentLine: item.line + lineOffset }, 'bash', {}, 0);
        step.mentioned = true;
        step.title ??= 'Mentioned in the text';
        step.notes.push('mentioned in the text, not given as a block: optional');
        block.stepIds.push(step.id);
        for (const [literal, replacement] of collectStepParameters(draft, step, this.registry, new Set(), this.diagnostics)) block.text = block.text.split(literal).join(replacement);
        this.pending.push({ draft, step });
      }
    }
    if (block.stepIds.length > 0) this.section.blocks.push(block);
  }

  private addChecklist(item: Extract<MarkdownItem, { type: 'checklist' }>): void {
    const step: RunbookStep = {
      id: this.uniqueId(undefined), line: item.line, endLine: item.line, section: this.section.path, kind: 'checklist', target: null, text: item.text,
      statements: [], risk: 'read', parameters: [], language: null, attributes: {}, confirm: false, notes: [], checked: item.checked,
    };
    this.steps.push(step);
    const last = this.section.blocks.at(-1);
    if (last?.type === 'checklist') last.stepIds.push(step.id);
    else this.section.blocks.push({ type: 'checklist', line: item.line, stepIds: [step.id] });
  }

  /** The `name` attribute, else `<section-slug>-<n>`; never a duplicate. */
  private uniqueId(named: string | undefined): string {
    let id = named;
    if (!id) {
      const slug = this.section.slug || 'step';
      const n = (this.stepCounts.get(slug) ?? 0) + 1;
      this.stepCounts.set(slug, n);
      id = `${slug}-${n}`;
    }
    let unique = id;
    for (let k = 2; this.ids.has(unique); k++) unique = `${id}-${k}`;
    this.ids.add(unique);
    return unique;
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/<[^>]*>|`|\*|_(?=\W|$)|(?<=\W|^)_|\[|\]\([^)]*\)|\]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-')
    .slice(0, 80);
}
