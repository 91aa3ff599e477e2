// One way to print a number in every report and message: digits grouped by three (「4,508 件」, 「4,533 人」),
// ASCII digits, no locale lookup (the same bytes on every machine).
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}
