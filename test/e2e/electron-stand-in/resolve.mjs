// ESM resolve hook: `import … from 'electron'` loads the stand-in (a CommonJS module, like Electron's).
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') {
    return { url: new URL('./electron.cjs', import.meta.url).href, format: 'commonjs', shortCircuit: true };
  }
  return next(specifier, context);
}
