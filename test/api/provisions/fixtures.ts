// Shared helpers for the directory tests (providers and provisions).

export const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
