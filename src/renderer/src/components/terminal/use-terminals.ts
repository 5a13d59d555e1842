import type { StoreApi, UseBoundStore } from 'zustand';
import { useApp, type AppState } from '../../store';
import type { TerminalsSlice } from '../../store/terminals-slice';

/**
 * The app store seen with the terminals slice. Once store/index.ts spreads the slice into
 * AppState this is the same type; it lets the terminal components compile on their own.
 */
export const useTerminals = useApp as unknown as UseBoundStore<StoreApi<AppState & TerminalsSlice>>;
