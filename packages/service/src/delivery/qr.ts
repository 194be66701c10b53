import QRCode from "qrcode";

/**
 * Share links longer than this go in a QR code as a short verification link instead: a version 25 code (about
 * 1,200 characters at level L) is the densest that phones still read reliably from a printed A4 page.
 */
export const MAX_QR_URL_LENGTH = 1200;

/** True when a QR code may carry `shareUrl` itself (the whole credential in its fragment). */
export function fitsInQr(shareUrl: string): boolean {
  return shareUrl.length <= MAX_QR_URL_LENGTH;
}

/** What a QR code carries: the share link when it fits, else the short verification link. */
export function qrPayload(shareUrl: string, verificationUrl: string): string {
  return fitsInQr(shareUrl) ? shareUrl : verificationUrl;
}

function level(text: string): "L" | "M" {
  return text.length > 1000 ? "L" : "M";
}

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: level(text), margin: 2 });
}

export async function qrPng(text: string, width = 512): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: level(text), margin: 2, width });
}
