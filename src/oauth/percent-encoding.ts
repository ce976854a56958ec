const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** RFC 5849 §3.6: UTF-8, unreserved A-Z a-z 0-9 - . _ ~ kept, everything else %XX uppercase. */
export function oauthPercentEncode(value: string): string {
  let out = '';
  // Byte-wise over Buffer rather than encodeURIComponent: the latter keeps ! ' ( ) * and throws on
  // lone surrogates (Buffer turns those into U+FFFD).
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
