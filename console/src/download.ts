/** Files the console makes in the browser itself (report CSVs, the minimum wage JSON) and saves. */

/** Saves `text` as a file named `name` (a UTF-8 download the browser handles like any other). */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvCell(value: string | number | boolean | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a byte-order mark, so that Excel opens the Vietnamese text as UTF-8. */
export function toCsv(header: string[], rows: (string | number | boolean | undefined | null)[][]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(
  name: string,
  header: string[],
  rows: (string | number | boolean | undefined | null)[][],
): void {
  downloadText(name, toCsv(header, rows), 'text/csv;charset=utf-8');
}
