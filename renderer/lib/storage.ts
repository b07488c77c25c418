import { useCallback, useState } from 'react';

/**
 * A short list kept in localStorage (favourite and recent services): harmless UI memory, no
 * personal data. A broken or foreign value reads as empty.
 */
export function useStoredList(key: string, max = 50) {
  const [items, setItems] = useState<string[]>(() => read(key));
  const save = useCallback(
    (next: string[]) => {
      const trimmed = next.slice(0, max);
      setItems(trimmed);
      try {
        localStorage.setItem(key, JSON.stringify(trimmed));
      } catch {
        // Storage full or disabled: the list simply is not remembered.
      }
    },
    [key, max],
  );
  return {
    items,
    push: (item: string) => save([item, ...items.filter((i) => i !== item)]),
    toggle: (item: string) => save(items.includes(item) ? items.filter((i) => i !== item) : [item, ...items]),
  };
}

function read(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
