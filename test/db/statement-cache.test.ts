import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from '../../src/db/statement-cache.js';

describe('the prepared-statement cache', () => {
  it('prepares each SQL text once and hands the same statement back', () => {
    const db = cachingStatements(new SQLite(':memory:'));
    const first = db.prepare('select 1 as one');
    expect(db.prepare('select 1 as one')).toBe(first);
    expect(db.prepare('select 2 as two')).not.toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
    db.close();
  });

  it('gives a fresh statement while the cached one is still being iterated', () => {
    const db = cachingStatements(new SQLite(':memory:'));
    const sql = 'select value from json_each(?)';
    const rows = db.prepare(sql).iterate(['[1,2,3]']);
    rows.next();
    const second = db.prepare(sql);
    expect(second.all(['[4]'])).toEqual([{ value: 4 }]);
    expect([...rows]).toEqual([{ value: 2 }, { value: 3 }]);
    db.close();
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const db = cachingStatements(new SQLite(':memory:'), 2);
    const a = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 3');
    expect(db.prepare('select 1')).not.toBe(a);
    db.close();
  });
});
