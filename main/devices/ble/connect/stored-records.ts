/**
 * Connection stage: the records a glucose meter keeps, asked for through the Record Access Control
 * Point after everything is subscribed (each record then arrives as a measurement notification).
 *
 * The first time, every record is asked for. After that only records from the one after the last
 * sequence number already kept: the meter is first asked how many records it holds from that number
 * on. None means its memory was cleared and it numbers from 1 again, so everything is asked for (the
 * collector drops repeats); a meter that cannot count is also asked for everything. Records are never
 * deleted from the meter here: that is only ever the nurse's explicit action.
 */
import {
  encodeRacpRequest,
  parseRacpResponse,
  RACP_REPORT_NUMBER_OF_RECORDS,
  recordsRequestAfter,
  type RacpRequest,
} from '../profiles/glucose';
import { hasCharacteristic, type StageContext } from './shared';

export async function fetchStoredRecords(
  ctx: StageContext,
  onTransferEnd: () => void,
  lastSequence?: number,
): Promise<void> {
  const { driver, link, services, logger } = ctx;
  const racp = driver.recordAccessControlPoint;
  if (!racp || !hasCharacteristic(services, driver.service, racp)) return;
  const send = (request: RacpRequest): Promise<void> =>
    link.write(driver.service, racp, encodeRacpRequest(request), true);
  const sendFromRadio = (request: RacpRequest): void => {
    send(request).catch(() => logger.warn('devices.ble.racp_failed', { driver: driver.id }));
  };
  try {
    ctx.unsubscribes.push(
      await link.subscribe(driver.service, racp, (bytes) => {
        const response = parseRacpResponse(bytes);
        if (!response.ok) {
          logger.warn('devices.ble.racp_problem', { driver: driver.id, code: response.error.code });
        } else if (response.value.kind === 'number-of-records' && lastSequence !== undefined) {
          sendFromRadio(
            response.value.count > 0
              ? recordsRequestAfter(lastSequence)
              : { opcode: 'report-records', filter: 'all' },
          );
        } else if (response.value.kind === 'response-code') {
          if (response.value.requestOpcode === RACP_REPORT_NUMBER_OF_RECORDS) {
            // The meter cannot count (or refused): ask for everything instead.
            sendFromRadio({ opcode: 'report-records', filter: 'all' });
            return;
          }
          // The transfer is over: no context is coming for a record still waiting.
          onTransferEnd();
          logger.info('devices.ble.records_fetched', { driver: driver.id, result: response.value.code });
        }
      }),
    );
    await send(
      lastSequence === undefined
        ? { opcode: 'report-records', filter: 'all' }
        : { opcode: 'report-number-of-records', filter: 'from-sequence', sequenceNumber: lastSequence },
    );
  } catch {
    logger.warn('devices.ble.racp_failed', { driver: driver.id });
  }
}
