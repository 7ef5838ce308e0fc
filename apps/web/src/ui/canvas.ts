import type { Rgba } from '../protocol.js';

/** Paints RGBA pixels onto a canvas at their own size (CSS scales it for display). */
export function drawRgba(canvas: HTMLCanvasElement, image: Rgba): void {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(new ImageData(image.data, image.width, image.height), 0, 0);
  // Small inputs (56×56 mosaics) are shown with hard pixels, photos smoothly.
  canvas.classList.toggle('pixelated', image.width < 200);
}

/** Blanks a canvas (a result that no longer matches the inputs). */
export function clearCanvas(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
}

/** A PNG object URL of the canvas's pixels (revoke it when replaced). */
export function pngUrl(canvas: HTMLCanvasElement): Promise<string> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob === null) reject(new Error('the browser could not encode a PNG'));
      else resolve(URL.createObjectURL(blob));
    }, 'image/png');
  });
}
