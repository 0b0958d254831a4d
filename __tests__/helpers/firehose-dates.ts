/** yyyy/MM/dd/HH and its parts, as Firehose prefixes and Athena projection formats write them (UTC). */
export function formatJavaDate(pattern: string, at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return pattern
    .replace("yyyy", String(at.getUTCFullYear()))
    .replace("MM", two(at.getUTCMonth() + 1))
    .replace("dd", two(at.getUTCDate()))
    .replace("HH", two(at.getUTCHours()));
}
