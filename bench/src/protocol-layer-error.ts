/**
 * A model the protocol reference cannot rebuild: a layer type, option or wiring outside the layer
 * list of `protocol-layers.ts`. Names the model file, the layer and the field at fault.
 */
export class ProtocolLayerError extends Error {
  /** The model file (or other source) the layer came from. */
  readonly source: string;
  /** The offending layer's name (or `(model)` for the wiring). */
  readonly layer: string;
  /** The offending field of the layer's config (e.g. `class_name`, `activation`, `padding`). */
  readonly field: string;

  /**
   * @param source - the model file
   * @param layer - the layer's name
   * @param field - the config field at fault
   * @param detail - what is wrong and what the reference supports
   */
  constructor(source: string, layer: string, field: string, detail: string) {
    super(`${source}: layer "${layer}": ${field}: ${detail}`);
    this.name = 'ProtocolLayerError';
    this.source = source;
    this.layer = layer;
    this.field = field;
  }
}
