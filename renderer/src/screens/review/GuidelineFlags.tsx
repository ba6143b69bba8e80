import type { GuidelineFlag } from '../../../../shared/clinical/guidelines';

const SUBJECTS: Readonly<Record<string, string>> = {
  bloodPressure: 'Blood pressure',
  glucose: 'Glucose',
  bmi: 'BMI',
  spo2: 'SpO₂',
  temperature: 'Temperature',
  news2: 'NEWS2',
};

const LEVEL_WORDS = { red: 'Red flag', amber: 'Flag', info: 'Note', normal: 'Within range' } as const;

/**
 * The guideline flags beside NEWS2: for each judged value its category, the named guideline and the
 * rule that fired, most urgent first. Red ones are what require the review note.
 */
export function GuidelineFlags(props: { flags: readonly GuidelineFlag[] }) {
  const order = { red: 0, amber: 1, info: 2, normal: 3 } as const;
  const flags = props.flags
    .filter((f) => f.subject !== 'news2')
    .sort((a, b) => order[a.level] - order[b.level]);
  return (
    <section
      className="panel review-flags"
      aria-labelledby="review-flags-heading"
      data-testid="guideline-flags"
    >
      <h2 id="review-flags-heading">Guideline flags</h2>
      {flags.length === 0 ? (
        <p className="hint">No value to judge yet.</p>
      ) : (
        <ul className="gflags">
          {flags.map((f) => (
            <li
              key={f.subject}
              className={`gflag gflag-${f.level}`}
              data-testid={`gflag-${f.subject}`}
              data-level={f.level}
            >
              <span className="gflag-head">
                <span className="gflag-level">{LEVEL_WORDS[f.level]}</span> {SUBJECTS[f.subject] ?? f.subject}
                : <strong>{f.category}</strong>
              </span>
              <span className="gflag-rule">
                {f.guideline} · {f.rule}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
