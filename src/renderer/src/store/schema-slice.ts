import type { OpenSchema, SchemaSlice, SchemaTree } from './state/schema';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
import { request, type ShowNotice } from './request';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

const pageSize = 100;
const searchTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Always quoted: a table named "user" or "Orders" must reach the server as it is named. */
export const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const createSchemaSlice: StateCreator<AppState, [], [], SchemaSlice> = (set, get) => {
  const tree = (profileId: string): SchemaTree => get().schemaTrees[profileId] ?? { loading: false, open: {} };
  const patch = (profileId: string, change: Partial<SchemaTree>) =>
    set((s) => ({ schemaTrees: { ...s.schemaTrees, [profileId]: { ...tree(profileId), ...change } } }));
  const patchSchema = (profileId: string, schema: string, change: Partial<OpenSchema>) => {
    const current = tree(profileId).open[schema] ?? { search: '', relations: [], total: 0, loading: false };
    patch(profileId, { open: { ...tree(profileId).open, [schema]: { ...current, ...change } } });
  };
  /** A failure shows in the schema tree it came from, not the notice bar. */
  const inTree =
    (profileId: string): ShowNotice =>
    (error) =>
      patch(profileId, { loading: false, error: error.message });
  const loadPage = async (profileId: string, schema: string, offset: number) => {
    const search = tree(profileId).open[schema]?.search ?? '';
    patchSchema(profileId, schema, { loading: true });
    try {
      const page = await transport().invoke('schema.relations', {
        profileId,
        schema,
        offset,
        limit: pageSize,
        ...(search.trim() ? { search } : {}),
      });
      // The search changed while this page was on its way: a newer request will answer.
      if ((tree(profileId).open[schema]?.search ?? '') !== search) return;
      const before = offset === 0 ? [] : (tree(profileId).open[schema]?.relations ?? []);
      patchSchema(profileId, schema, { relations: [...before, ...page.relations], total: page.total, loading: false });
      patch(profileId, { error: undefined });
    } catch (error) {
      patchSchema(profileId, schema, { loading: false });
      inTree(profileId)(noticeFrom(error));
    }
  };
  return {
    schemaTrees: {},
    async schemaTreeRequested(profileId) {
      patch(profileId, { loading: true, open: {} });
      const schemas = await request(inTree(profileId), 'schema.schemas', { profileId });
      if (schemas) patch(profileId, { schemas, loading: false, error: undefined });
    },
    async schemaToggled(profileId, schema) {
      const open = { ...tree(profileId).open };
      if (open[schema]) {
        delete open[schema];
        return patch(profileId, { open });
      }
      patchSchema(profileId, schema, {});
      await loadPage(profileId, schema, 0);
    },
    schemaSearchEdited(profileId, schema, search) {
      patchSchema(profileId, schema, { search });
      const key = `${profileId}\u0000${schema}`;
      clearTimeout(searchTimers.get(key));
      searchTimers.set(
        key,
        setTimeout(() => void loadPage(profileId, schema, 0), 200),
      );
    },
    async schemaMoreRequested(profileId, schema) {
      await loadPage(profileId, schema, tree(profileId).open[schema]?.relations.length ?? 0);
    },
    async relationDescribed(profileId, schema, name) {
      const detail = await request(inTree(profileId), 'schema.describe', { profileId, schema, name });
      if (detail) patch(profileId, { detail, error: undefined });
    },
    relationSelectRequested(profileId, schema, name) {
      void get().templatePicked(profileId, undefined);
      get().sqlEdited(profileId, `SELECT * FROM ${quoteName(schema)}.${quoteName(name)} LIMIT 100`);
    },
  };
};
