/** Which server version a Provenance names, and the Provenance transaction itself. */
import { describe, expect, it } from 'vitest';
import type { BundleEntry, Provenance } from '@medplum/fhirtypes';
import { versionOf } from '../../../main/sync/answer';
import { provenanceTarget } from '../../../main/sync/provenance';
import { buildProvenanceBundle, provenanceIdFor } from '../../../shared/fhir';
import { observationFixture } from '../../support/fhir-fixtures';

const entry = (response: BundleEntry['response'], resource?: BundleEntry['resource']): BundleEntry => ({
  response,
  ...(resource ? { resource } : {}),
});

describe('the version the server stored', () => {
  it('is read from the etag, the location or the returned resource, in that order of trust', () => {
    expect(versionOf(entry({ status: '201', etag: 'W/"7"' }), 'Observation/a')).toBe('7');
    expect(versionOf(entry({ status: '201', etag: '"8"' }), 'Observation/a')).toBe('8');
    expect(versionOf(entry({ status: '201', location: 'Observation/a/_history/9' }), 'Observation/a')).toBe(
      '9',
    );
    expect(
      versionOf(
        entry({ status: '201', location: 'Observation/a' }, {
          resourceType: 'Observation',
          id: 'a',
          meta: { versionId: 'v10' },
        } as BundleEntry['resource']),
        'Observation/a',
      ),
    ).toBe('v10');
    expect(
      versionOf(
        entry({ status: '201', etag: 'W/"3"', location: 'Observation/a/_history/3' }),
        'Observation/a',
      ),
    ).toBe('3');
  });

  it('is none when the answer names none, contradicts itself, or names something that is no version id', () => {
    expect(versionOf(entry({ status: '201', location: 'Observation/a' }), 'Observation/a')).toBeNull();
    expect(versionOf(undefined, null)).toBeNull();
    expect(
      versionOf(
        entry({ status: '201', etag: 'W/"3"', location: 'Observation/a/_history/4' }),
        'Observation/a',
      ),
    ).toBeNull();
    expect(
      versionOf(entry({ status: '201', location: 'Observation/a/_history/1"><script>' }), 'Observation/a'),
    ).toBeNull();
    expect(versionOf(entry({ status: '201', etag: 'W/""' }), 'Observation/a')).toBeNull();
    expect(versionOf(entry({ status: '201', etag: 'garbage' }), 'Observation/a')).toBeNull();
    // A returned resource that is another one than the location names says nothing about this one.
    expect(
      versionOf(
        entry({ status: '201', location: 'Observation/a' }, {
          resourceType: 'Observation',
          id: 'b',
          meta: { versionId: '2' },
        } as BundleEntry['resource']),
        'Observation/a',
      ),
    ).toBeNull();
  });

  it('makes the target version-specific only when both id and version are known', () => {
    expect(provenanceTarget({ remoteId: 'Observation/a', remoteVersion: '4' })).toBe(
      'Observation/a/_history/4',
    );
    expect(provenanceTarget({ remoteId: 'Observation/a', remoteVersion: null })).toBe('Observation/a');
    expect(provenanceTarget({ remoteId: null, remoteVersion: '4' })).toBeUndefined();
  });
});

describe('the Provenance transaction', () => {
  it('targets each exact version and names the server’s staff and device, PUT by an id derived from the local version', () => {
    const amended = observationFixture({ seriesId: 'obs-2', version: 2, status: 'amended', reason: 'Typo' });
    const bundle = buildProvenanceBundle([
      {
        observation: observationFixture(),
        target: 'Observation/a/_history/1',
        enterer: 'Practitioner/p',
        device: 'Device/d',
      },
      { observation: amended, target: 'Observation/b/_history/5', enterer: 'Practitioner/p' },
    ]);
    expect(bundle.type).toBe('transaction');
    const [first, second] = (bundle.entry ?? []).map((e) => e.resource as Provenance);
    expect(first?.target).toEqual([{ reference: 'Observation/a/_history/1' }]);
    expect(first?.agent?.map((a) => a.who)).toEqual([
      { reference: 'Practitioner/p' },
      { reference: 'Device/d' },
    ]);
    expect(second?.target).toEqual([{ reference: 'Observation/b/_history/5' }]);
    expect(second?.activity?.coding?.[0]?.code).toBe('UPDATE');
    expect(bundle.entry?.[1]?.request).toEqual({
      method: 'PUT',
      url: `Provenance/${provenanceIdFor('obs-2', 2)}`,
    });
    expect(provenanceIdFor('obs-2', 2)).not.toBe(provenanceIdFor('obs-2', 1));
  });

  it('falls back to references by identifier when the server named no id', () => {
    const bundle = buildProvenanceBundle([{ observation: observationFixture(), target: undefined }], {
      observationSystem: 'https://clinic.example/obs',
    });
    const provenance = bundle.entry?.[0]?.resource as Provenance;
    expect(provenance.target).toEqual([
      { type: 'Observation', identifier: { system: 'https://clinic.example/obs', value: 'obs-1' } },
    ]);
    expect(provenance.agent?.map((a) => a.who)).toEqual([
      { type: 'Practitioner', identifier: { system: 'urn:vitals-desk:staff', value: 'user-nurse-1' } },
      { type: 'Device', identifier: { system: 'urn:vitals-desk:device', value: expect.any(String) } },
    ]);
  });
});
