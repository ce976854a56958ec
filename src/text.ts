const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for text that is not valid Unicode: MySQL would store its unpaired surrogates as U+FFFD. */
export function hasLoneSurrogate(text: string | null | undefined): boolean {
  return text != null && LONE_SURROGATE.test(text);
}

export const INVALID_UNICODE_MESSAGE =
  'The text is not valid Unicode (it has an unpaired surrogate).';

/** C0 and C1 controls (NUL, newline, escape, DEL, …) and the bidirectional formatting characters. */
const DISGUISING = /[\p{Cc}\p{Bidi_Control}]/u;
const EVERY_DISGUISING = new RegExp(DISGUISING.source, 'gu');

/**
 * True for text with characters that change how it is displayed rather than what it says: a
 * control character, or a bidirectional override or isolate that can reverse what follows it.
 */
export function hasDisguisingCharacter(text: string): boolean {
  return DISGUISING.test(text);
}

/** The text with those characters written as `\uXXXX`, for messages that go to a terminal. */
export function escapeDisguising(text: string): string {
  return text.replace(
    EVERY_DISGUISING,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
