/** A sample image the page offers, as listed in `catalog.json`. */
export interface SampleImage {
  /** Path relative to the app's base URL. */
  readonly file: string;
  /** What the visitor sees in the picker. */
  readonly title: string;
  /** Author / licence line shown on the page. */
  readonly credit: string;
}

/** What `scripts/prepare-assets.ts` put next to the app (written as `catalog.json`). */
export interface Catalog {
  /** Whether the COCO CenterNet model is served (it comes from `../shared`). */
  readonly centernet: boolean;
  /** Default-dataset mosaics (for the default model). */
  readonly mosaics: readonly SampleImage[];
  /** Real photos (for CenterNet). */
  readonly photos: readonly SampleImage[];
}
