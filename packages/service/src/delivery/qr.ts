import QRCode from "qrcode";

/** Share links longer than this go in a QR code as the (short) holder link instead. */
export const MAX_QR_URL_LENGTH = 2000;

/** What a QR code carries: the share link when it fits, else the holder link. */
export function qrPayload(shareUrl: string | null, holderUrl: string | null): string {
  if (shareUrl && shareUrl.length <= MAX_QR_URL_LENGTH) return shareUrl;
  if (holderUrl) return holderUrl;
  if (shareUrl) return shareUrl;
  throw new Error("nothing to put in a QR code");
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
