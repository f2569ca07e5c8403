// Prices travel as JSON numbers with at most two decimals (the schema enforces it) and are stored as integer cents.

export function toCents(price: number): number {
  return Math.round(price * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}
