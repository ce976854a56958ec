const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for text that is not valid Unicode: MySQL would store its unpaired surrogates as U+FFFD. */
export function hasLoneSurrogate(text: string | null | undefined): boolean {
  return text != null && LONE_SURROGATE.test(text);
}

export const INVALID_UNICODE_MESSAGE =
  'The text is not valid Unicode (it has an unpaired surrogate).';
