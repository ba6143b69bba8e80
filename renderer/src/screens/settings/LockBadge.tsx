/** Marks a setting IT fixed by policy. The text is visible, not only an icon, so it reads aloud and at a glance. */
export function LockBadge() {
  return (
    <span className="lock-badge">
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" focusable="false">
        <path
          fill="currentColor"
          d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 1 0-4 0v2z"
        />
      </svg>
      Set by your IT department
    </span>
  );
}
