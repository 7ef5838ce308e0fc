import { type MultiLabelData, validateData } from './dataset.js';
import { DatasetFormatError } from './errors/dataset-format-error.js';

const MAGIC = 'MLAPDATA1\n';

interface Header {
  count: number;
  sampleShape: number[];
  labelNames: string[];
  range: { lo: number; hi: number };
  dtype: 'uint8' | 'float32';
}

/**
 * Encodes a data set as bytes (a small JSON header, then features, then labels; little-endian
 * float32 for float features). The same data always gives the same bytes.
 */
export function encodeData(data: MultiLabelData): Uint8Array {
  validateData(data);
  const header: Header = {
    count: data.count,
    sampleShape: [...data.sampleShape],
    labelNames: [...data.labelNames],
    range: { lo: data.range.lo, hi: data.range.hi },
    dtype: data.features instanceof Uint8Array ? 'uint8' : 'float32',
  };
  const head = new TextEncoder().encode(`${MAGIC}${JSON.stringify(header)}\n`);
  const featureBytes = featureBytesOf(data.features);
  const out = new Uint8Array(head.length + featureBytes.length + data.labels.length);
  out.set(head, 0);
  out.set(featureBytes, head.length);
  out.set(data.labels, head.length + featureBytes.length);
  return out;
}

function featureBytesOf(features: Uint8Array | Float32Array): Uint8Array {
  if (features instanceof Uint8Array) return features;
  const bytes = new Uint8Array(features.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < features.length; i++) view.setFloat32(i * 4, features[i] as number, true);
  return bytes;
}

/**
 * Decodes bytes written by {@link encodeData}.
 *
 * @param source - the file or source name, for error messages
 */
export function decodeData(bytes: Uint8Array, source = 'data'): MultiLabelData {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new DatasetFormatError(source, undefined, 'not an mlap data file');
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) throw new DatasetFormatError(source, 2, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end))) as Header;
  } catch (cause) {
    throw new DatasetFormatError(source, 2, 'malformed header', { cause });
  }
  const size = header.sampleShape.reduce((a, b) => a * b, 1);
  const nFeatures = header.count * size;
  const nLabels = header.count * header.labelNames.length;
  const featureByteLength = header.dtype === 'uint8' ? nFeatures : nFeatures * 4;
  const start = end + 1;
  if (bytes.length !== start + featureByteLength + nLabels) {
    throw new DatasetFormatError(source, undefined, 'size does not match its header (truncated?)');
  }
  let features: Uint8Array | Float32Array;
  if (header.dtype === 'uint8') {
    features = bytes.slice(start, start + nFeatures);
  } else {
    features = new Float32Array(nFeatures);
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, featureByteLength);
    for (let i = 0; i < nFeatures; i++) features[i] = view.getFloat32(i * 4, true);
  }
  const labels = bytes.slice(start + featureByteLength);
  return {
    features,
    labels,
    count: header.count,
    sampleShape: header.sampleShape,
    labelNames: header.labelNames,
    range: header.range,
  };
}
