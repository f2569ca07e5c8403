import { describe, expect, it } from 'vitest';
import { createAjv, isMultipleOf } from '../../src/http/ajv.js';

describe('multipleOf 0.01', () => {
  const validate = createAjv().compile({ type: 'number', multipleOf: 0.01, minimum: 0, maximum: 99999999.99 });

  it('accepts every two-decimal price across the whole range, as a client sends it', () => {
    // Random cents over the range, plus the values where float division goes wrong first.
    const cents = [0, 1, 7, 1599, 11184818, 123456789, 9999999999, 9999999998];
    for (let i = 0; i < 20_000; i++) cents.push(Math.floor(Math.random() * 10_000_000_000));
    for (const c of cents) {
      const price = Number(`${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
      expect(validate(price), String(price)).toBe(true);
      expect(Math.round(price * 100)).toBe(c);
    }
  });

  it.each([0.001, 15.999, 1.005, 0.1 + 0.2, 1234567.891, 9999999.995, 1e-9])('refuses %s', (price) => {
    expect(validate(price)).toBe(false);
    expect(validate.errors?.[0]?.message).toBe('must be a multiple of 0.01');
  });

  it('keeps plain JSON Schema meaning for other steps', () => {
    expect(isMultipleOf(10, 5)).toBe(true);
    expect(isMultipleOf(12, 5)).toBe(false);
    expect(isMultipleOf(3, 1)).toBe(true);
    expect(isMultipleOf(3.5, 1)).toBe(false);
    expect(isMultipleOf(0.75, 0.25)).toBe(true);
  });
});
