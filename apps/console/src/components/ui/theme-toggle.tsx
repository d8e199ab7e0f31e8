import { useState } from 'react';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'meshdeck-theme';

function storedTheme(): Theme | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

/** Applies the stored choice (`<html data-theme>`); without one the OS setting decides (CSS). */
export function applyStoredTheme(): void {
  const theme = storedTheme();
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** A header button that switches light/dark and remembers the choice in localStorage. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="button button--ghost button--small theme-toggle"
      aria-pressed={theme === 'dark'}
      onClick={() => {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Private mode without storage: the choice lasts for this page only.
        }
        document.documentElement.dataset.theme = next;
        setTheme(next);
      }}
    >
      Dark theme
    </button>
  );
}
