/**
 * PostgreSQL `bigint` (int8) arrives as text. Money is stored as bigint minor units, and every
 * realistic amount fits a JS number exactly, so we parse to number and refuse anything that
 * would lose precision rather than silently rounding it.
 */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`bigint value ${value} is outside the safe integer range`);
  }
  return n;
}

export const INT8_OID = 20;
