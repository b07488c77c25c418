import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { createAutosave, type SaveState } from '../../lib/autosave.ts';

export interface DraftAutosave {
  state: SaveState;
  /** The form's values after a change: saved to main when typing pauses. */
  change: (fields: Record<string, string>) => void;
  /** Saves now; resolves when everything typed is in main, rejects when that failed. */
  flush: () => Promise<void>;
  /** Saves at once without waiting (copied data, "Riprova"): a failure shows in `state`. */
  saveNow: () => void;
}

/**
 * Every keystroke of a draft kept (see lib/autosave.ts): saved shortly after typing stops, one save
 * at a time, and once more when the form goes away.
 */
export function useDraftAutosave(draftId: string, delayMs = 300): DraftAutosave {
  const [state, setState] = useState<SaveState>('saved');
  const [autosave] = useState(() =>
    createAutosave<Record<string, string>>({
      save: (fields) => api.drafts.update(draftId, { fields }),
      delayMs,
      onState: setState,
    }),
  );
  // Leaving the page saves what is pending; a failure is already logged and nobody is left to tell.
  useEffect(() => () => void autosave.flush().catch(() => undefined), [autosave]);
  const flush = useCallback(() => autosave.flush(), [autosave]);
  const saveNow = useCallback(() => void autosave.flush().catch(() => undefined), [autosave]);
  return { state, change: autosave.change, flush, saveNow };
}
