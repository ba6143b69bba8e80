import {
  NEWS2_BAND_RESPONSES,
  NEWS2_PARAMETER_NAMES,
  computeNews2,
  describeMissing,
} from '../../../../shared/clinical/news2';
import type { News2Input } from '../../../../shared/clinical/news2';

const BAND_WORDS = { low: 'Low', 'low-medium': 'Low–medium', medium: 'Medium', high: 'High' } as const;

/** NEWS2 with its clinical-risk band, or which parameters are still missing (never a partial sum). */
export function News2Card(props: { input: News2Input }) {
  const result = computeNews2(props.input);
  return (
    <section className="panel news2-card" aria-labelledby="news2-heading" data-testid="news2">
      <h2 id="news2-heading">NEWS2</h2>
      {result.complete ? (
        <>
          <p className={`news2-score band-${result.band}`}>
            <span className="news2-aggregate" data-testid="news2-aggregate">
              {result.aggregate}
            </span>{' '}
            <span className="news2-band">{BAND_WORDS[result.band]} risk</span>
          </p>
          <p className="news2-response">{NEWS2_BAND_RESPONSES[result.band]}</p>
          <ul className="news2-parts">
            {Object.entries(result.scores).map(([parameter, score]) => (
              <li key={parameter}>
                {NEWS2_PARAMETER_NAMES[parameter as keyof typeof NEWS2_PARAMETER_NAMES]}: {score}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="news2-missing" data-testid="news2-missing">
          {describeMissing(result.missing)}
        </p>
      )}
    </section>
  );
}
