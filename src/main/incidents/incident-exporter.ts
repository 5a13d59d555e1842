import { mkdirSync } from 'node:fs';
import { alreadyHolds, writeFileExclusive } from '../files/exclusive-file';
import type { ReportSigner } from './report-signature';
import { basename, dirname, extname, join } from 'node:path';
import type { AttachmentMode, ExportFormat, ExportResult, IncidentReport } from '../../shared/incident';
import { OpsError } from '../errors';
import { renderHtml } from './export-html';
import { renderMarkdown } from './export-markdown';
import { PdfFallbackError, renderPdf } from './export-pdf';
import type { IncidentRepository } from './incident-repository';
import type { IncidentRecorder } from './recorder';
import type { IncidentService } from './incident-service';
import type { PdfRenderer } from './pdf-renderer';
import { buildReport } from './report';
import { buildZip, type ZipEntry } from './zip';

export interface ExportRequest {
  format: ExportFormat;
  /** Where to write; without it the text is returned (not for PDF). */
  path?: string;
  /** Replace files already there (the report, its zip or its attachments); refused otherwise. */
  overwrite?: boolean;
  /** Attachments beside the report (in <name>-attachments/), or the report and them in one zip at `path`. */
  attachments?: AttachmentMode;
  foldReads?: boolean;
  timeZone?: string;
  /** Only the starred events. */
  starred?: boolean;
}

export interface ExporterDeps {
  service: IncidentService;
  repository: IncidentRepository;
  recorder: IncidentRecorder;
  /** Signs JSON exports and names its key in the others; absent (golden tests) they are unsigned. */
  signer?: ReportSigner;
  /** Created on the first PDF export. */
  pdfRenderer: () => PdfRenderer;
  timeZone: string;
  now?: () => Date;
}

const extensions: Record<ExportFormat, string> = { md: 'md', html: 'html', pdf: 'pdf', json: 'json' };

export type { AttachmentMode, ExportResult };

/** Renders an incident's report in one of the four formats and records the export in its timeline. */
export class IncidentExporter {
  constructor(private readonly deps: ExporterDeps) {}

  report(id: string, options: { foldReads?: boolean; timeZone?: string; starred?: boolean } = {}): IncidentReport {
    const incident = this.deps.service.get(id);
    return buildReport(incident, this.deps.repository.events(id), this.deps.repository.attachments(id), {
      foldReads: options.foldReads ?? false,
      timeZone: options.timeZone ?? this.deps.timeZone,
      now: (this.deps.now ?? (() => new Date()))(),
      integrity: this.deps.service.verify(id),
      starredOnly: options.starred ?? false,
    });
  }

  async render(report: IncidentReport, format: ExportFormat): Promise<Buffer> {
    switch (format) {
      case 'md':
        return Buffer.from(renderMarkdown(report), 'utf8');
      case 'html':
        return Buffer.from(renderHtml(report), 'utf8');
      case 'json':
        return Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8');
      case 'pdf':
        return this.pdf(report);
    }
  }

  /**
   * Written directly (export-pdf.ts), in a fraction of the time a browser takes to print the
   * HTML; a report with text the embedded fonts cannot draw faithfully (CJK, right-to-left or
   * shaped scripts, emoji) is printed from its HTML by the browser renderer instead.
   */
  private async pdf(report: IncidentReport, note?: string): Promise<Buffer> {
    let reason: string;
    try {
      return renderPdf(report, note);
    } catch (error) {
      if (!(error instanceof PdfFallbackError)) throw error;
      reason = error.message;
    }
    try {
      return await this.deps.pdfRenderer().render(htmlWith(report, note));
    } catch (error) {
      throw new OpsError(
        'browser_missing',
        `This report needs a browser to print it as PDF (${reason}), and printing failed: ${(error as Error).message.split('\n')[0]}. Export it as HTML (--format html) and print that from any browser, or point CHROMIUM_PATH at a Chromium.`,
      );
    }
  }

  /**
   * With a signer: the JSON carries every event's hash, the public key, its fingerprint and the
   * signature; the others print the fingerprint so a reader can ask for the JSON and check it.
   */
  private async renderSigned(id: string, report: IncidentReport, format: ExportFormat): Promise<Buffer> {
    const signer = this.deps.signer;
    if (!signer) return this.render(report, format);
    if (format === 'json')
      return Buffer.from(JSON.stringify(signer.sign(report, this.deps.repository.events(id)), null, 2) + '\n', 'utf8');
    const note = `Signed by this installation's report key ${signer.fingerprint()}: check the JSON export with \`opsconsole incident verify --file REPORT.json --key ${signer.fingerprint()}\`.`;
    if (format === 'md') return Buffer.from(`${renderMarkdown(report)}\n${note}\n`, 'utf8');
    if (format === 'pdf') return this.pdf(report, note);
    return Buffer.from(htmlWith(report, note), 'utf8');
  }

  async export(id: string, request: ExportRequest): Promise<ExportResult> {
    if (request.format === 'pdf' && !request.path)
      throw new OpsError('invalid_input', 'path is missing: a PDF is written to a file, give one (--out report.pdf).');
    const report = this.report(id, request);
    const body = await this.renderSigned(id, report, request.format);
    const result = request.path
      ? this.write(id, { ...request, path: request.path }, body)
      : { format: request.format, content: body.toString('utf8'), bytes: body.length, attachments: [] };
    const notRecorded = this.recordExport(id, request);
    return notRecorded ? { ...result, notRecorded } : result;
  }

  /**
   * The report is already written and touched no server: a data folder that cannot take the
   * record (mounted read-only) makes it a warning, never a failed export.
   */
  private recordExport(id: string, request: ExportRequest): string | undefined {
    try {
      this.deps.recorder.record('export', { format: request.format, path: request.path }, { incidentId: id });
      return undefined;
    } catch (error) {
      if (error instanceof OpsError && error.code === 'store_unavailable')
        return `The export was made but not recorded in the timeline: ${error.message}`;
      throw error;
    }
  }

  private write(id: string, request: ExportRequest & { path: string }, body: Buffer): ExportResult {
    const mode = request.attachments ?? 'beside';
    const files = mode === 'none' ? [] : this.attachmentFiles(id);
    const stem = basename(request.path, extname(request.path));
    mkdirSync(dirname(request.path), { recursive: true });
    if (mode === 'zip') {
      const zip = buildZip([
        { name: `${stem}.${extensions[request.format]}`, data: body },
        ...files.map((f) => ({ name: `attachments/${f.name}`, data: f.data })),
      ]);
      writeFileExclusive(request.path, zip, request.overwrite ?? false);
      return {
        format: request.format,
        path: request.path,
        bytes: zip.length,
        attachments: files.map((f) => `attachments/${f.name}`),
      };
    }
    writeFileExclusive(request.path, body, request.overwrite ?? false);
    const written: string[] = [];
    if (files.length) {
      const dir = join(dirname(request.path), `${stem}-attachments`);
      mkdirSync(dir, { recursive: true });
      for (const file of files) {
        // The same attachment beside another format of this report (report.md, report.html) is left as it is.
        if (!alreadyHolds(join(dir, file.name), file.data))
          writeFileExclusive(join(dir, file.name), file.data, request.overwrite ?? false);
        written.push(join(dir, file.name));
      }
    }
    return { format: request.format, path: request.path, bytes: body.length, attachments: written };
  }

  /** Attachments with safe, unique file names. */
  private attachmentFiles(id: string): ZipEntry[] {
    const used = new Set<string>();
    return this.deps.repository.attachments(id).map((a) => {
      const safe = a.name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'attachment';
      let name = safe;
      for (let n = 2; used.has(name); n++) name = `${basename(safe, extname(safe))}-${n}${extname(safe)}`;
      used.add(name);
      return { name, data: this.deps.repository.attachmentContent(a.id)! };
    });
  }
}

/** The HTML report, the signature note (if any) at the end of its footer. */
function htmlWith(report: IncidentReport, note?: string): string {
  const html = renderHtml(report);
  return note ? html.replace('</footer>', ` ${note.replace(/`/g, '')}</footer>`) : html;
}
