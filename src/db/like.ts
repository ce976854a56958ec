/** Escapes LIKE wildcards so user text matches literally (MySQL's default escape is backslash). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
