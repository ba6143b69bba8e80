/**
 * What is typed on the vital cards but not saved: each card's title with the values in its inputs.
 * Read from the cards as shown, so whatever a card holds in its fields is listed, however it keeps it.
 */
export function typedButUnsaved(root: ParentNode | null): string[] {
  if (!root) return [];
  const lines: string[] = [];
  for (const card of root.querySelectorAll<HTMLElement>('.vital-card')) {
    const values = [...card.querySelectorAll<HTMLInputElement>('input')]
      .filter((input) => input.type !== 'checkbox' && input.type !== 'hidden' && input.value.trim() !== '')
      .map((input) => input.value.trim());
    if (values.length === 0) continue;
    const title = card.querySelector('h3')?.textContent?.trim() ?? 'A vital sign';
    lines.push(`${title}: ${values.join(' / ')}`);
  }
  return lines;
}
