/**
 * Whether an SMS reply means "received". Wardens answer from old phones and input methods:
 * full-width digits and letters (１, ｏｋ), surrounding spaces and punctuation (“收到！”, 1。)
 * are folded before comparing with the configured replies, case-insensitively. Anything else
 * (a question, a report) is not an acknowledgement: it is left for a person to read.
 */
export function isAckReply(text: string, replies: readonly string[]): boolean {
  const t = normalise(text);
  return t.length > 0 && replies.some((r) => normalise(r) === t);
}

export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
