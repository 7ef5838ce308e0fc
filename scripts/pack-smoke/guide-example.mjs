// The first attack of docs/getting-started.md, taken from the guide itself, so the smoke test
// proves the guide's claim that its code runs against the packed tarballs and prints what it shows.
import { readFileSync } from 'node:fs';

/** The fenced blocks of a Markdown text with the given language tag, in order. */
function fencedBlocks(markdown, language) {
  const blocks = [];
  const pattern = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm');
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1]);
  return blocks;
}

/** The guide's first TypeScript example and the output it says the example prints. */
export function gettingStartedExample(guidePath) {
  const markdown = readFileSync(guidePath, 'utf8');
  const [code] = fencedBlocks(markdown, 'ts');
  const [output] = fencedBlocks(markdown, 'text');
  if (code === undefined || output === undefined) {
    throw new Error(`${guidePath}: no \`\`\`ts example or no \`\`\`text output block`);
  }
  return { code, output };
}
