/** A count as people read it, the same in every terminal and Markdown view: "3,000". JSON keeps plain numbers. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US', {maximumFractionDigits: 0})
}
