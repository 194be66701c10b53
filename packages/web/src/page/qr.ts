// Reading QR codes in the browser: from a picture (a photo or screenshot of a printed certificate) and from the
// camera. The browser's BarcodeDetector is used where it exists; elsewhere (e.g. Chromium on Linux, Firefox) the
// jsQR decoder reads the pixels itself. Imported by the page on first use (a chunk of its own: jsQR is the
// largest library the page has).

import jsQR from "jsqr";

type BarcodeDetectorLike = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function nativeDetector(): BarcodeDetectorLike | undefined {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return Detector ? new Detector({ formats: ["qr_code"] }) : undefined;
}

/** Large photos are scaled down first: jsQR's time grows with the pixels, and a QR needs few of them. */
const MAX_SIDE = 1600;

function pixelsOf(source: CanvasImageSource, width: number, height: number): ImageData | undefined {
  if (width === 0 || height === 0) return undefined;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return undefined;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

async function decode(source: CanvasImageSource, width: number, height: number): Promise<string | undefined> {
  const native = nativeDetector();
  if (native) {
    try {
      const [code] = await native.detect(source);
      if (code?.rawValue) return code.rawValue;
    } catch {
      // Fall through to jsQR.
    }
  }
  const pixels = pixelsOf(source, width, height);
  if (!pixels) return undefined;
  return (
    jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" })?.data || undefined
  );
}

/** The text of the QR code in a picture, or undefined when none can be read. */
export async function readQrFromImage(file: Blob): Promise<string | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  try {
    return await decode(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

export type Scanner = { stop(): void };

/**
 * Starts the camera in `video` and calls `found` with the first QR code it reads; then stops. Throws when the
 * camera cannot be started.
 */
export async function startCameraScan(
  video: HTMLVideoElement,
  found: (text: string) => void,
): Promise<Scanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  let running = true;
  const stop = () => {
    running = false;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  await video.play();
  const tick = async () => {
    if (!running) return;
    try {
      const text = await decode(video, video.videoWidth, video.videoHeight);
      if (text && running) {
        stop();
        found(text);
        return;
      }
    } catch {
      // Not ready yet.
    }
    // About five frames a second: enough to catch a code, light on a phone's battery.
    setTimeout(() => requestAnimationFrame(() => void tick()), 200);
  };
  void tick();
  return { stop };
}
