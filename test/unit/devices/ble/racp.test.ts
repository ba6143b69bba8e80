import { describe, expect, it } from 'vitest';
import {
  encodeRacpRequest,
  parseRacpResponse,
  recordsRequestAfter,
} from '../../../../main/devices/ble/profiles/glucose';
import { expectError, expectOk } from './table';

// Response vectors are those of Nordic Semiconductor's Android-BLE-Common-Library test
// RecordAccessControlPointDataCallbackTest (BSD-3-Clause), which exercises its RACP parser with them;
// they are published test vectors, not a capture from a meter. Where this collector is stricter
// than that library (a uint8 count, which the Glucose Profile's uint16 operand does not allow), the
// test says so.
describe('Record Access Control Point responses (0x2A52)', () => {
  it('reads response codes, the Null operator in place', () => {
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 1, 1)))).toEqual({
      kind: 'response-code',
      requestOpcode: 1,
      code: 'success',
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 12, 2)))).toMatchObject({
      requestOpcode: 12,
      code: 'opcode-not-supported',
    });
    // The meter saying "invalid operator" about our request is a valid response.
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 1, 3)))).toMatchObject({
      code: 'invalid-operator',
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 1, 6)))).toMatchObject({
      code: 'no-records-found',
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 2, 9)))).toMatchObject({
      code: 'operand-not-supported',
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(6, 0, 1, 10)))).toMatchObject({ code: 'reserved' });
  });

  it('reads a uint16 count and a uint32 count whole (never a 4-byte count as its first two bytes)', () => {
    expect(expectOk(parseRacpResponse(Uint8Array.of(5, 0, 2, 1)))).toEqual({
      kind: 'number-of-records',
      count: 258,
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(5, 0, 4, 3, 2, 1)))).toEqual({
      kind: 'number-of-records',
      count: 16909060,
    });
    expect(expectOk(parseRacpResponse(Uint8Array.of(5, 0, 0xff, 0xff, 0xff, 0xff)))).toMatchObject({
      count: 0xffffffff,
    });
  });

  it('refuses a 3-byte count and other wrong lengths', () => {
    expectError(parseRacpResponse(Uint8Array.of(5, 0, 3, 2, 1)), 'GARBAGE');
    expectError(parseRacpResponse(Uint8Array.of(5, 0, 1, 0, 0, 0, 0)), 'GARBAGE');
    expectError(parseRacpResponse(Uint8Array.of(6, 0, 1, 1, 0)), 'GARBAGE');
    // Nordic's library reads {5, 0, 1} as a uint8 count of 1; the Glucose Profile's count is uint16.
    expectError(parseRacpResponse(Uint8Array.of(5, 0, 1)), 'TRUNCATED');
    expectError(parseRacpResponse(Uint8Array.of(1, 1)), 'BAD_FLAGS');
  });

  it('refuses a response that names an operator, and a request echoed back', () => {
    expectError(parseRacpResponse(Uint8Array.of(6, 1, 1)), 'TRUNCATED');
    expectError(parseRacpResponse(Uint8Array.of(6, 1, 1, 1)), 'BAD_FLAGS');
    expectError(parseRacpResponse(Uint8Array.of(6, 3, 1, 1)), 'BAD_FLAGS');
    expectError(parseRacpResponse(Uint8Array.of(5, 1, 2, 1)), 'BAD_FLAGS');
    expectError(parseRacpResponse(Uint8Array.of(1, 3, 1, 2, 0)), 'BAD_FLAGS');
  });
});

// Requests per Glucose Profile 1.0.1 §4.11: opcode, operator, [filter type 0x01 + uint16 LE].
describe('Record Access Control Point requests', () => {
  it('asks for the last record, records from a sequence number, and counts', () => {
    expect([...encodeRacpRequest({ opcode: 'report-records', filter: 'last' })]).toEqual([0x01, 0x06]);
    expect([
      ...encodeRacpRequest({ opcode: 'report-records', filter: 'from-sequence', sequenceNumber: 0x1234 }),
    ]).toEqual([0x01, 0x03, 0x01, 0x34, 0x12]);
    expect([
      ...encodeRacpRequest({
        opcode: 'report-number-of-records',
        filter: 'from-sequence',
        sequenceNumber: 7,
      }),
    ]).toEqual([0x04, 0x03, 0x01, 0x07, 0x00]);
  });

  it('deleting the meter’s records is its own request (opcode 0x02), never a fetch', () => {
    expect([...encodeRacpRequest({ opcode: 'delete-records', filter: 'all' })]).toEqual([0x02, 0x01]);
    for (const last of [undefined, 0, 5, 0xfffe, 0xffff]) {
      expect(encodeRacpRequest(recordsRequestAfter(last))[0]).toBe(0x01);
    }
  });

  it('after the last kept sequence number asks only for newer records', () => {
    expect(recordsRequestAfter(undefined)).toEqual({ opcode: 'report-records', filter: 'all' });
    expect(recordsRequestAfter(5)).toEqual({
      opcode: 'report-records',
      filter: 'from-sequence',
      sequenceNumber: 6,
    });
    expect(recordsRequestAfter(0xfffe)).toMatchObject({ sequenceNumber: 0xffff });
    // No sequence number follows 0xFFFF: everything again (repeats are dropped by the collector).
    expect(recordsRequestAfter(0xffff)).toEqual({ opcode: 'report-records', filter: 'all' });
  });
});
