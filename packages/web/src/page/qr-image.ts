// Drawing a QR code (the challenge a holder's wallet reads). Imported by the page on first use: only a verifier
// asking for a presentation draws one.

import QRCode from "qrcode";

/** The QR code of `text` as a PNG data URL. */
export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { margin: 2, scale: 4 });
}
