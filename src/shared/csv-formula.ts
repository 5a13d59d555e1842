/**
 * Spreadsheet formula neutralising (OWASP "CSV Injection"): a cell that begins with =, +, -, @,
 * tab or carriage return is read by Excel, LibreOffice and Sheets as a formula
 * (`=cmd|' /C calc'!A0`), so it gets a leading apostrophe and opens as text. Machine consumers
 * that want the bytes as stored ask for raw CSV (`--csv-raw`).
 */
export const formulaStart = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}
