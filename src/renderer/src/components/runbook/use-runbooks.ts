import type { StoreApi, UseBoundStore } from 'zustand';
import { useApp } from '../../store';
import type { RunbookState } from '../../store/runbooks-slice';

/** The app's one store, typed with the runbooks slice (the same store as useApp). */
export const useRunbooks = useApp as unknown as UseBoundStore<StoreApi<RunbookState>>;
