// Photos are made smaller in the browser before they are sent: a phone's
// 4000 px, 6 MB picture becomes a JPEG of at most 1600 px on its longest
// side (a few hundred KB), which is plenty to see a pothole and much kinder
// to a slow connection. A file the browser cannot decode goes as it is, so
// the API judges it (415 not an image, 413 too large) and says why.
const LONGEST = 1600;
const QUALITY = 0.85;

export async function resizePhoto(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff'; // a transparent PNG gets a white, not black, background
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  return blob || file;
}
