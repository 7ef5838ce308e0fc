// Runs in a fresh project that installed every packed mlap package: imports each entry point
// its `exports` declares (the root and subpaths such as `@mlap/datasets/node`), so a wrong
// `exports` map, a missing file or an undeclared dependency fails here as it would for a user.
import { readFileSync } from 'node:fs';

const project = JSON.parse(readFileSync('package.json', 'utf8'));
const names = Object.keys(project.dependencies).filter((name) => name.startsWith('@mlap/'));

/** The import specifiers of a package: its name plus every subpath export but package.json. */
function specifiers(name) {
  const url = new URL(`./node_modules/${name}/package.json`, `file://${process.cwd()}/`);
  const manifest = JSON.parse(readFileSync(url, 'utf8'));
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

for (const specifier of names.flatMap(specifiers)) {
  const module = await import(specifier);
  const count = Object.keys(module).length;
  if (count === 0) throw new Error(`${specifier} exports nothing`);
  console.log(`import ${specifier}: ${count} exports`);
}
