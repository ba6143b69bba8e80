/**
 * Connection stage: the records a glucose meter keeps, asked for through the Record Access Control
 * Point after everything is subscribed (each record then arrives as a measurement notification).
 */
import { encodeRacpRequest, parseRacpResponse } from '../profiles/glucose';
import { hasCharacteristic, type StageContext } from './shared';

export async function fetchStoredRecords(ctx: StageContext, onTransferEnd: () => void): Promise<void> {
  const { driver, link, services, logger } = ctx;
  const racp = driver.recordAccessControlPoint;
  if (!racp || !hasCharacteristic(services, driver.service, racp)) return;
  try {
    ctx.unsubscribes.push(
      await link.subscribe(driver.service, racp, (bytes) => {
        const response = parseRacpResponse(bytes);
        if (!response.ok) {
          logger.warn('devices.ble.racp_problem', { driver: driver.id, code: response.error.code });
        } else if (response.value.kind === 'response-code') {
          // The transfer is over: no context is coming for a record still waiting.
          onTransferEnd();
          logger.info('devices.ble.records_fetched', { driver: driver.id, result: response.value.code });
        }
      }),
    );
    await link.write(
      driver.service,
      racp,
      encodeRacpRequest({ opcode: 'report-records', filter: 'all' }),
      true,
    );
  } catch {
    logger.warn('devices.ble.racp_failed', { driver: driver.id });
  }
}
