/** Lower case without accents, for comparing words people type or devices print: "Gerät" is "gerat". */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}
