import { fullTime, shortTime } from './short-time';

/**
 * A short time ("09:43", "12 Nov") whose full date and time shows on hover and on keyboard focus; the
 * printed summary shows the full time (a PDF is read later, when "09:43" no longer says which day).
 */
export function Time(props: { iso: string }) {
  const full = fullTime(props.iso);
  return (
    <time className="short-time" dateTime={props.iso} title={full} tabIndex={0} aria-label={full}>
      <span className="short-text" aria-hidden="true">
        {shortTime(props.iso)}
      </span>
      <span className="full-time" aria-hidden="true">
        {full}
      </span>
    </time>
  );
}
