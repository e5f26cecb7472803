// The QR decoder: the browser's own BarcodeDetector where it has one, else the vendored ponyfill
// (barcode-detector over zxing-wasm). Imported only by the scan screen, so nothing of it loads
// before someone scans; the service worker precaches it all, so it works offline.

// Self-hosted: the ponyfill would fetch its .wasm from a public CDN. It must be the build of the
// zxing-wasm version barcode-detector pins (see static/vendor/VENDOR.txt).
const WASM = new URL('../vendor/zxing-wasm/zxing_reader.wasm', import.meta.url)
  .href;

let detector = null;

// A BarcodeDetector for QR codes, made once: {detect(source)} answers [{rawValue, ...}].
export function qrDetector() {
  detector ??= makeDetector().catch((error) => {
    detector = null; // let a later try load it again
    throw error;
  });
  return detector;
}

async function makeDetector() {
  const native = await nativeDetector();
  if (native) return native;
  const { BarcodeDetector, prepareZXingModule } =
    await import('../vendor/barcode-detector/ponyfill.js');
  await prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) =>
        path.endsWith('.wasm') ? WASM : prefix + path,
    },
    fireImmediately: true, // compile the .wasm now, not on the first frame
  });
  return Object.assign(new BarcodeDetector({ formats: ['qr_code'] }), {
    kind: 'zxing-wasm',
  });
}

async function nativeDetector() {
  const Native = globalThis.BarcodeDetector;
  try {
    if (Native && (await Native.getSupportedFormats()).includes('qr_code'))
      return Object.assign(new Native({ formats: ['qr_code'] }), {
        kind: 'native',
      });
  } catch {
    // a half-implemented native API: use the vendored one
  }
  return null;
}
