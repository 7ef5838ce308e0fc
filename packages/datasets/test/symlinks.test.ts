import { copyFile, cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasMkfifo, makeFifo, removeScratch, scratchDir } from '../../../test/scratch-files.js';
import { DatasetFileError, DatasetFormatError, type ImageSet } from '../src/index.js';
import { loadCoco, loadImageFolder, loadNusWide, loadVoc } from '../src/node/index.js';
import { fixture } from './shared-path.js';

// Temp folders and FIFOs of each test are removed after it (FIFOs unblocked first).
afterEach(removeScratch);

async function tempBase(): Promise<{ root: string; outside: string }> {
  const base = await scratchDir('mlap-symlinks-');
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  return { root, outside };
}

/** A data set laid out in a temp folder, with one file (`target`) to replace by something hostile. */
interface Planted {
  /** The file the hostile entry replaces (a good copy is there until then). */
  readonly target: string;
  /** The file (or folder) the error must name. */
  readonly source: string;
  /** The entry's name in the error message. */
  readonly name: string;
  /** Loads the set. */
  readonly load: (checkFiles?: boolean) => Promise<ImageSet>;
  /** The set's entry count when the target is readable. */
  readonly count: number;
}

interface Kind {
  readonly kind: string;
  readonly make: (root: string) => Promise<Planted>;
  /** The device linked to (default `/dev/zero`; `/dev/null` where an unchecked read is unbounded). */
  readonly device?: string;
}

const size: [number, number] = [4, 4];
const cat = fixture('folder/cat.png');

async function imageFolder(root: string, sidecar: boolean): Promise<Planted> {
  await copyFile(cat, join(root, 'good.png'));
  await copyFile(cat, join(root, 'bad.png'));
  const labels = join(root, 'labels.csv');
  if (sidecar) await writeFile(labels, 'file,labels\ngood.png,a\nbad.png,b\n');
  return {
    target: join(root, 'bad.png'),
    source: sidecar ? labels : root,
    name: 'bad.png',
    load: (checkFiles) =>
      loadImageFolder(root, { size, checkFiles, ...(sidecar ? { labels } : {}) }),
    count: 2,
  };
}

async function coco(root: string): Promise<Planted> {
  const instances = join(root, 'annotations', 'instances_val.json');
  await mkdir(dirname(instances));
  await mkdir(join(root, 'val'));
  await copyFile(cat, join(root, 'val', 'good.png'));
  await copyFile(cat, join(root, 'val', 'bad.png'));
  const images = ['good.png', 'bad.png'].map((file_name, id) => ({ id, file_name }));
  const categories = [{ id: 1, name: 'cat' }];
  await writeFile(instances, JSON.stringify({ images, annotations: [], categories }));
  return {
    target: join(root, 'val', 'bad.png'),
    source: instances,
    name: 'bad.png',
    load: (checkFiles) => loadCoco(instances, { size, checkFiles }),
    count: 2,
  };
}

async function voc(root: string, file: string, sourceIsRoot = false): Promise<Planted> {
  await cp(fixture('voc/VOC2012'), root, { recursive: true });
  const list = join(root, 'ImageSets', 'Main', 'trainval.txt');
  return {
    target: join(root, file),
    source: sourceIsRoot ? root : list,
    name: file,
    load: (checkFiles) => loadVoc(root, { size, checkFiles }),
    count: 4,
  };
}

async function nusWide(root: string, file: string, source: string): Promise<Planted> {
  await cp(fixture('nuswide'), root, { recursive: true });
  return {
    target: join(root, file),
    source: join(root, source),
    name: file.startsWith('Flickr/')
      ? file.slice('Flickr/'.length)
      : file.startsWith('Groundtruth/')
        ? basename(file)
        : file,
    load: (checkFiles) => loadNusWide(root, { size, checkFiles }),
    count: 3,
  };
}

const kinds: readonly Kind[] = [
  { kind: 'image folder with a sidecar', make: (root) => imageFolder(root, true) },
  { kind: 'image folder walked', make: (root) => imageFolder(root, false) },
  { kind: 'COCO image', make: coco },
  { kind: 'VOC image', make: (root) => voc(root, 'JPEGImages/2008_000002.jpg') },
  // readText of an unchecked /dev/zero would read 2 GiB before failing: /dev/null is as much a device
  {
    kind: 'VOC annotation',
    make: (root) => voc(root, 'Annotations/2008_000002.xml'),
    device: '/dev/null',
  },
  { kind: 'VOC split list', make: (root) => voc(root, 'ImageSets/Main/trainval.txt', true) },
  {
    kind: 'NUS-WIDE image',
    make: (root) =>
      nusWide(root, 'Flickr/airport/0002_174174086.jpg', 'ImageList/TrainImagelist.txt'),
  },
  {
    kind: 'NUS-WIDE label file',
    make: (root) =>
      nusWide(
        root,
        'Groundtruth/TrainTestLabels/Labels_animal_Train.txt',
        'ConceptsList/Concepts81.txt',
      ),
  },
  {
    kind: 'NUS-WIDE image list',
    make: (root) => nusWide(root, 'ImageList/TrainImagelist.txt', ''),
  },
];

const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The loader's rejection, checked to be a DatasetFormatError naming `source` with `message`. */
async function expectRefused(
  load: Promise<unknown>,
  source: string,
  message: RegExp,
): Promise<void> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
  expect((error as DatasetFormatError).file).toBe(source);
  expect((error as Error).message).toMatch(message);
}

describe.each(kinds)('$kind', ({ make, device }) => {
  it('a symlink to a readable file outside the folder → DatasetFormatError naming the source', async () => {
    const { root, outside } = await tempBase();
    const p = await make(root);
    // the target still holds good data: only the check can refuse it
    const moved = join(outside, basename(p.target));
    await rename(p.target, moved);
    await symlink(moved, p.target);
    await expectRefused(
      p.load(),
      p.source,
      new RegExp(
        `: "${literal(p.name)}" is a symlink that leads outside the folder .* \\(to .*outside.*\\); listed files must stay inside it$`,
      ),
    );
  });

  it(`a symlink to ${device ?? '/dev/zero'} → DatasetFormatError: not a regular file`, async () => {
    const { root } = await tempBase();
    const p = await make(root);
    await rm(p.target);
    await symlink(device ?? '/dev/zero', p.target);
    await expectRefused(
      p.load(),
      p.source,
      new RegExp(`: "${literal(p.name)}" is not a regular file \\(a device, FIFO or folder\\)`),
    );
  });

  it.skipIf(!hasMkfifo)(
    'a FIFO → DatasetFormatError, nothing opened',
    async () => {
      const { root } = await tempBase();
      const p = await make(root);
      await rm(p.target);
      expect(makeFifo(p.target)).toBe(true);
      await expectRefused(p.load(), p.source, /is not a regular file \(a device, FIFO or folder\)/);
    },
    5000,
  );

  it('a symlink that stays inside the folder is read', async () => {
    const { root } = await tempBase();
    const p = await make(root);
    // the real file moves beside the link, under a name no loader lists
    await rename(p.target, `${p.target}.real`);
    await symlink(`${basename(p.target)}.real`, p.target);
    const set = await p.load();
    expect(set.count).toBe(p.count);
    expect(set.skipped).toEqual([]);
  });

  it('a dangling symlink keeps the missing-file error', async () => {
    const { root } = await tempBase();
    const p = await make(root);
    await rm(p.target);
    await symlink('nowhere', p.target);
    const error = await p.load().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(DatasetFileError.isInstance(error), String(error)).toBe(true);
    expect((error as DatasetFileError).file).toBe(p.target);
    expect((error as Error).message).toMatch(/(image )?file not found$/);
  });
});

describe('checkFiles: false checks each image right before reading it', () => {
  it('an outside symlink fails its decode; the other image decodes', async () => {
    const { root, outside } = await tempBase();
    const p = await coco(root);
    const moved = join(outside, 'bad.png');
    await rename(p.target, moved);
    await symlink(moved, p.target);
    const set = await p.load(false);
    expect(set.count).toBe(2);
    expect((await set.decode(0)).width).toBeGreaterThan(0);
    await expectRefused(set.decode(1), p.source, /"bad\.png" is a symlink that leads outside/);
  });

  it.skipIf(!hasMkfifo)(
    'a FIFO is refused before it is opened',
    async () => {
      const { root } = await tempBase();
      const p = await imageFolder(root, true);
      await rm(p.target);
      expect(makeFifo(p.target)).toBe(true);
      const set = await p.load(false);
      await expectRefused(set.decode(1), p.source, /"bad\.png" is not a regular file/);
      const skipping = await loadImageFolder(root, {
        size,
        labels: p.source,
        checkFiles: false,
        skip: true,
      });
      const data = await skipping.toData();
      expect(data.count).toBe(1);
      expect(data.skipped.map((s) => s.reason)).toEqual([
        expect.stringMatching(/"bad\.png" is not a regular file/),
      ]);
    },
    5000,
  );
});

describe('symlinked sub-folders', () => {
  async function withSubFolders(): Promise<{ root: string; outside: string }> {
    const { root, outside } = await tempBase();
    await mkdir(join(root, 'sub'));
    await copyFile(cat, join(root, 'sub', 'in.png'));
    await copyFile(cat, join(outside, 'secret.png'));
    await symlink('sub', join(root, 'inside'));
    await symlink(outside, join(root, 'out'));
    return { root, outside };
  }

  it('a listed file under a sub-folder linked out of the folder is refused; one linked inside is read', async () => {
    const { root } = await withSubFolders();
    const labels = join(root, 'labels.csv');
    await writeFile(labels, 'file,labels\nsub/in.png,a\nout/secret.png,b\n');
    await expectRefused(
      loadImageFolder(root, { size, labels }),
      labels,
      /"out\/secret\.png" is a symlink that leads outside the folder/,
    );
    await writeFile(labels, 'file,labels\nsub/in.png,a\ninside/in.png,b\n');
    const set = await loadImageFolder(root, { size, labels });
    expect(set.entries.map((e) => e.id)).toEqual(['sub/in.png', 'inside/in.png']);
    expect((await set.decode(1)).width).toBeGreaterThan(0);
  });

  it('a recursive walk does not follow symlinked sub-folders', async () => {
    const { root } = await withSubFolders();
    const set = await loadImageFolder(root, { size, recursive: true });
    expect(set.entries.map((e) => e.id)).toEqual(['sub/in.png']);
  });
});
