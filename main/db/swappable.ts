/**
 * One database handle for the whole app whose underlying connection can be replaced. Key rotation
 * writes a new file and opens a new connection to it; the repositories, stores and sync worker built
 * at start-up keep the handle they were given. Statements and transactions prepared through the
 * handle are prepared again, on first use, on whichever connection is current.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Database } from './connection';

type Statement = BetterSqlite3.Statement;
type Transaction = BetterSqlite3.Transaction<(...args: unknown[]) => unknown>;
type Method = (...args: unknown[]) => unknown;

/** Statement methods that change how it answers; replayed on a statement prepared again. */
const MODE_METHODS = new Set<PropertyKey>(['pluck', 'raw', 'expand', 'safeIntegers', 'bind']);
const TRANSACTION_KINDS = ['deferred', 'immediate', 'exclusive', 'default'] as const;

export interface SwappableDatabase {
  /** The handle to give out. */
  readonly db: Database;
  /** The connection in use now. */
  current(): Database;
  /** Puts `next` in place and returns the connection it replaced (the caller closes it). */
  swap(next: Database): Database;
}

function member(target: object, prop: PropertyKey): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === 'function' ? (value as Method).bind(target) : value;
}

export function swappableDatabase(initial: Database): SwappableDatabase {
  let connection = initial;
  let generation = 0;

  const prepare = (sql: string): Statement => {
    const modes: [PropertyKey, unknown[]][] = [];
    let preparedIn = generation;
    let statement = connection.prepare(sql);
    const current = (): Statement => {
      if (preparedIn !== generation) {
        statement = connection.prepare(sql);
        for (const [name, args] of modes) (Reflect.get(statement, name) as Method).apply(statement, args);
        preparedIn = generation;
      }
      return statement;
    };
    const handle: Statement = new Proxy(statement, {
      get(_target, prop) {
        if (MODE_METHODS.has(prop))
          return (...args: unknown[]) => {
            const real = current();
            (Reflect.get(real, prop) as Method).apply(real, args);
            modes.push([prop, args]);
            return handle;
          };
        return member(current(), prop);
      },
    });
    return handle;
  };

  const transaction = (fn: Method): Transaction => {
    let madeIn = -1;
    let real: Transaction | undefined;
    const current = (): Transaction => {
      if (!real || madeIn !== generation) {
        real = connection.transaction(fn);
        madeIn = generation;
      }
      return real;
    };
    const run = function (this: unknown, ...args: unknown[]): unknown {
      return current().apply(this, args);
    } as Transaction;
    for (const kind of TRANSACTION_KINDS)
      Object.defineProperty(run, kind, {
        value: function (this: unknown, ...args: unknown[]): unknown {
          return (current()[kind] as Method).apply(this, args);
        },
      });
    Object.defineProperty(run, 'database', { get: () => handle });
    return run;
  };

  const handle: Database = new Proxy(initial, {
    get(_target, prop) {
      if (prop === 'prepare') return prepare;
      if (prop === 'transaction') return transaction;
      return member(connection, prop);
    },
  });

  return {
    db: handle,
    current: () => connection,
    swap(next) {
      const previous = connection;
      connection = next;
      generation++;
      return previous;
    },
  };
}
