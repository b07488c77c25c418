import sharp from 'sharp';

/**
 * A still image as a Y4M video, the format Chromium's fake capture device plays
 * (`--use-file-for-fake-video-capture`): the e2e camera sees this picture as its feed.
 */
export async function imageToY4m(image: Buffer, width = 1280, height = 720): Promise<Buffer> {
  const { data } = await sharp(image)
    .resize(width, height, { fit: 'contain', background: { r: 70, g: 70, b: 70 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 3;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      y[row * width + col] = clamp(0.257 * r + 0.504 * g + 0.098 * b + 16);
      if (row % 2 === 0 && col % 2 === 0) {
        const c = (row / 2) * (width / 2) + col / 2;
        u[c] = clamp(-0.148 * r - 0.291 * g + 0.439 * b + 128);
        v[c] = clamp(0.439 * r - 0.368 * g - 0.071 * b + 128);
      }
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  return Buffer.concat([header, frame, frame]);
}

const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
