import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { dateInWords, MONTHS } from '../../../shared/records/date-words';
import { clampDay, isoOf, moveDay, monthWeeks, partsOf, placePopup, type IsoDay } from './calendar';

const WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/**
 * A button that opens a month calendar drawn in the page (not the system's, which Chromium opens below
 * the field whatever the room): it opens below the field when it fits, above it when not, always inside
 * the window. Keyboard: arrows move a day or a week, Page Up/Down a month (with Shift a year), Enter
 * picks, Escape closes; focus goes back to the button either way.
 */
export function DatePicker(props: {
  id: string;
  /** The button's accessible name, e.g. "Pick the birth date from a calendar". */
  label: string;
  /** The dialog's name, e.g. "Birth date". */
  title: string;
  /** The date shown picked, YYYY-MM-DD, or '' for none. */
  value: IsoDay | '';
  min: IsoDay;
  max: IsoDay;
  /** The day the calendar opens at when no date is picked. */
  openAt: IsoDay;
  onPick: (iso: IsoDay) => void;
}) {
  const { min, max } = props;
  const [open, setOpen] = useState(false);
  const [focus, setFocus] = useState<IsoDay>(props.openAt);
  const [place, setPlace] = useState<{ top: number; left: number; side: string } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popup = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLTableElement>(null);

  const close = () => {
    setOpen(false);
    setPlace(null);
    button.current?.focus();
  };

  // Placed once its size is known, and again when the window changes size.
  useLayoutEffect(() => {
    if (!open) return;
    const measure = () => {
      const at = button.current;
      if (!at || !popup.current) return;
      const r = at.getBoundingClientRect();
      setPlace(
        placePopup(
          { top: r.top, left: r.left, width: r.width, height: r.height },
          { width: popup.current.offsetWidth, height: popup.current.offsetHeight },
          { width: window.innerWidth, height: window.innerHeight },
        ),
      );
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [open]);

  // The focused day has the keyboard, as it moves.
  useEffect(() => {
    if (open && place) grid.current?.querySelector<HTMLButtonElement>(`[data-day="${focus}"]`)?.focus();
  }, [open, place, focus]);

  // A click elsewhere closes it without picking.
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!popup.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) {
        setOpen(false);
        setPlace(null);
      }
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const show = () => {
    setFocus(clampDay(props.value || props.openAt, min, max));
    setOpen(true);
  };
  const pick = (iso: IsoDay) => {
    props.onPick(iso);
    close();
  };
  const onGridKey = (e: KeyboardEvent) => {
    const moves: Record<string, { days?: number; months?: number }> = {
      ArrowLeft: { days: -1 },
      ArrowRight: { days: 1 },
      ArrowUp: { days: -7 },
      ArrowDown: { days: 7 },
      PageUp: { months: e.shiftKey ? -12 : -1 },
      PageDown: { months: e.shiftKey ? 12 : 1 },
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    setFocus(clampDay(moveDay(focus, move), min, max));
  };

  const { year, month } = partsOf(focus);
  const years: number[] = [];
  for (let y = partsOf(max).year; y >= partsOf(min).year; y--) years.push(y);
  return (
    <div className="field date-picker">
      <span className="label-spacer" aria-hidden="true">
        &nbsp;
      </span>
      <button
        ref={button}
        id={props.id}
        type="button"
        className="secondary calendar-button"
        aria-label={props.label}
        title={props.label}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => (open ? close() : show())}
      >
        {/* A calendar drawn small: the button's name is its aria-label. */}
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
          <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" />
          <path
            d="M4 8.5h2v2H4zM7 8.5h2v2H7zM10 8.5h2v2h-2zM4 11.5h2v2H4zM7 11.5h2v2H7z"
            fill="currentColor"
          />
        </svg>
      </button>
      {open && (
        <div
          ref={popup}
          role="dialog"
          aria-label={props.title}
          className={`calendar-popup ${place?.side ?? ''}`}
          data-testid={`${props.id}-calendar`}
          style={place ? { top: place.top, left: place.left } : { visibility: 'hidden', top: 0, left: 0 }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          <div className="calendar-head">
            <button
              type="button"
              className="secondary"
              aria-label="Previous month"
              onClick={() => setFocus(clampDay(moveDay(focus, { months: -1 }), min, max))}
            >
              ‹
            </button>
            <select
              aria-label="Month"
              value={month}
              onChange={(e) =>
                setFocus(clampDay(moveDay(focus, { months: Number(e.target.value) - month }), min, max))
              }
            >
              {MONTHS.map((name, i) => (
                <option key={name} value={i + 1}>
                  {name}
                </option>
              ))}
            </select>
            <select
              aria-label="Year"
              value={year}
              onChange={(e) =>
                setFocus(clampDay(moveDay(focus, { months: (Number(e.target.value) - year) * 12 }), min, max))
              }
            >
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="secondary"
              aria-label="Next month"
              onClick={() => setFocus(clampDay(moveDay(focus, { months: 1 }), min, max))}
            >
              ›
            </button>
          </div>
          <table ref={grid} role="grid" aria-label={`${MONTHS[month - 1]} ${year}`} onKeyDown={onGridKey}>
            <thead>
              <tr>
                {WEEKDAYS.map((d) => (
                  <th key={d} scope="col">
                    {d}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthWeeks(year, month).map((week, w) => (
                <tr key={w}>
                  {week.map((iso, d) => (
                    <td key={iso ?? `pad-${w}-${d}`} role="gridcell" aria-selected={iso === props.value}>
                      {iso && (
                        <button
                          type="button"
                          data-day={iso}
                          tabIndex={iso === focus ? 0 : -1}
                          aria-label={dateInWords(iso)}
                          disabled={iso < min || iso > max}
                          onClick={() => pick(iso)}
                        >
                          {partsOf(iso).day}
                        </button>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="calendar-foot">
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** Today in the workstation's calendar, YYYY-MM-DD. */
export function todayIso(now = new Date()): IsoDay {
  return isoOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
