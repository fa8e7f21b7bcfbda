package io.proxyless.nas.data;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecodingTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    private static BufferedImage colour(int h, int w, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** A 2 MB PNG that declares 20000x20000 pixels is refused from its header, before 400 MB are decoded. */
    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeDecoding() throws IOException {
        byte[] bomb = HostileImages.pngBomb(20000, 20000);
        assertTrue(bomb.length < 4_000_000, bomb.length + " bytes");
        BadDataException e = assertThrows(BadDataException.class,
                () -> ImageDecoding.decode(bomb, null, new int[] {1, 28, 28}, "bomb.png", ImageLimits.DEFAULT_MAX_PIXELS));
        assertTrue(e.getMessage().startsWith("bomb.png: the image declares 20000x20000 pixels")
                && e.getMessage().contains("dataset.max_image_pixels (50000000)"), e.getMessage());
        // The same limit, lowered, refuses an ordinary image; at its size the image passes.
        byte[] png = encode(colour(8, 8, 1), "png");
        assertThrows(BadDataException.class, () -> ImageDecoding.decode(png, null, new int[] {3, 8, 8}, "p.png", 63));
        assertEquals(3 * 64, ImageDecoding.decode(png, null, new int[] {3, 8, 8}, "p.png", 64).length);
    }

    private static BufferedImage indexed(int h, int w, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextBoolean() ? 0xFF0000 : 0x00FF00);
            }
        }
        return image;
    }

    /** Palette PNGs and GIFs hold colour indices in one band: they are read as their colours. */
    @Test
    void paletteImagesAreReadAsTheirColours() throws IOException {
        BufferedImage palette = indexed(6, 5, BufferedImage.TYPE_BYTE_INDEXED);
        int[] argb = palette.getRGB(0, 0, 5, 6, null, 0, 5);
        for (String format : new String[] {"png", "gif"}) {
            byte[] chw = ImageDecoding.decode(encode(palette, format), new int[] {3, 6, 5}, "p." + format);
            for (int i = 0; i < 30; i++) {
                assertEquals((argb[i] >> 16) & 0xff, chw[i] & 0xff, format + " red " + i);
                assertEquals((argb[i] >> 8) & 0xff, chw[30 + i] & 0xff, format + " green " + i);
                assertEquals(argb[i] & 0xff, chw[60 + i] & 0xff, format + " blue " + i);
            }
        }
    }

    @Test
    void aOneBitPngIsBlackAndWhite() throws IOException {
        BufferedImage binary = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY);
        binary.setRGB(1, 0, 0xFFFFFF);
        binary.setRGB(3, 1, 0xFFFFFF);
        byte[] gray = ImageDecoding.decode(encode(binary, "png"), new int[] {1, 2, 4}, "b.png");
        assertArrayEquals(new byte[] {0, (byte) 255, 0, 0, 0, 0, 0, (byte) 255}, gray);
    }

    @Test
    void anEmptyFileIsRefusedNamingIt() {
        BadDataException e = assertThrows(BadDataException.class,
                () -> ImageDecoding.decode(new byte[0], new int[] {1, 2, 2}, "cls/empty.png"));
        assertEquals("cls/empty.png: the image is empty (0 bytes)", e.getMessage());
    }

    @Test
    void aColourPngBecomesItsChwPixelsExactly() throws IOException {
        BufferedImage image = colour(5, 7, 1);
        byte[] chw = ImageDecoding.decode(encode(image, "png"), new int[] {3, 5, 7}, "x.png");
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                int rgb = image.getRGB(x, y);
                int i = y * 7 + x;
                assertEquals((rgb >> 16) & 0xff, chw[i] & 0xff);
                assertEquals((rgb >> 8) & 0xff, chw[35 + i] & 0xff);
                assertEquals(rgb & 0xff, chw[70 + i] & 0xff);
            }
        }
    }

    @Test
    void grayscaleAndColourConvertBothWays() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        byte[] values = new byte[16];
        for (int i = 0; i < 16; i++) {
            values[i] = (byte) (i * 16);
        }
        gray.getRaster().setDataElements(0, 0, 4, 4, values);
        byte[] rgb = ImageDecoding.decode(encode(gray, "png"), new int[] {3, 4, 4}, "g.png");
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(values, java.util.Arrays.copyOfRange(rgb, 16 * c, 16 * (c + 1)));
        }
        BufferedImage red = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 4; i++) {
            red.setRGB(i % 2, i / 2, 0xff0000);
        }
        byte[] luma = ImageDecoding.decode(encode(red, "png"), new int[] {1, 2, 2}, "r.png");
        assertEquals(Math.round(0.299 * 255), luma[0] & 0xff);
    }

    @Test
    void aLargerImageIsResizedAndCentreCropped() throws IOException {
        BufferedImage wide = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                wide.setRGB(x, y, x < 16 || x >= 48 ? 0x0000ff : 0xff0000);
            }
        }
        byte[] chw = ImageDecoding.decode(encode(wide, "png"), new int[] {3, 16, 16}, "w.png");
        // Scaled to 32x16, the blue margins fall outside the centre crop: every pixel is red.
        for (int i = 0; i < 256; i++) {
            assertTrue((chw[i] & 0xff) > 200 && (chw[512 + i] & 0xff) < 50, "pixel " + i);
        }
    }

    @Test
    void aJpegDecodesCloseToItsSource() throws IOException {
        BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            flat.setRGB(i % 8, i / 8, 0x3080c0);
        }
        byte[] chw = ImageDecoding.decode(encode(flat, "jpg"), new int[] {3, 8, 8}, "f.jpg");
        assertEquals(0x30, chw[0] & 0xff, 4);
        assertEquals(0x80, chw[64] & 0xff, 4);
        assertEquals(0xc0, chw[128] & 0xff, 4);
    }

    @Test
    void rawTensorsAndFloatsAreTakenAsTheyAre() {
        byte[] raw = new byte[12];
        raw[5] = (byte) 200;
        assertArrayEquals(raw, ImageDecoding.decode(raw, new int[] {3, 2, 2}, "row 1"));
        float[] floats = new float[4];
        floats[2] = 1f;
        assertEquals((byte) 255, ImageDecoding.decode(floats, new int[] {1, 2, 2}, "row 2")[2]);
        BadDataException outside = assertThrows(BadDataException.class,
                () -> ImageDecoding.decode(new float[] {0, 2, 0, 0}, new int[] {1, 2, 2}, "row 3"));
        assertTrue(outside.getMessage().startsWith("row 3: value 2.0 at index 1"), outside.getMessage());
        BadDataException size = assertThrows(BadDataException.class,
                () -> ImageDecoding.decode(new byte[7], new int[] {1, 2, 2}, "row 4"));
        assertTrue(size.getMessage().startsWith("row 4: 7 values are neither"), size.getMessage());
    }

    /** Raw pixels may begin like a file by chance (a "BM" is 1 in 65,536): the raw size decides. */
    @Test
    void rawPixelsThatLookLikeAFileAreStillRaw() {
        for (byte[] start : new byte[][] {{'B', 'M'}, {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}}) {
            byte[] raw = new byte[16];
            System.arraycopy(start, 0, raw, 0, start.length);
            raw[9] = 7;
            assertArrayEquals(raw, ImageDecoding.decode(raw, new int[] {1, 4, 4}, "row 5"));
        }
    }

    @Test
    void aRawImageOfAKnownShapeIsResized() {
        byte[] raw = new byte[28 * 28];
        java.util.Arrays.fill(raw, (byte) 100);
        byte[] rgb = ImageDecoding.decode(raw, new int[] {1, 28, 28}, new int[] {3, 32, 32}, "idx row 0",
                ImageLimits.DEFAULT_MAX_PIXELS);
        assertEquals(3 * 32 * 32, rgb.length);
        assertEquals(100, rgb[3 * 32 * 32 - 1] & 0xff);
    }

    @Test
    void truncatedBytesNameTheirSource() throws IOException {
        byte[] png = encode(colour(8, 8, 2), "png");
        BadDataException e = assertThrows(BadDataException.class,
                () -> ImageDecoding.decode(java.util.Arrays.copyOf(png, 30), new int[] {3, 8, 8}, "cls/a.png"));
        assertTrue(e.getMessage().startsWith("cls/a.png: cannot decode the image (30 bytes)"), e.getMessage());
    }

    @Test
    void augmentationCropsAndFlipsTheSameWayForTheSameStepAndRow() {
        byte[] pixels = new byte[3 * 4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 5);
        }
        ImageDataset data = ImageDataset.of(pixels, new int[] {0}, 3, 4, 4);
        Normalization none = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        Augmentation aug = new Augmentation(1, true);
        float[] a = data.images(new int[] {0}, none, aug, 17L, new int[] {42});
        assertArrayEquals(a, data.images(new int[] {0}, none, aug, 17L, new int[] {42}));
        boolean anyDiffers = false;
        for (long step = 0; step < 20; step++) {
            float[] b = data.images(new int[] {0}, none, aug, step, new int[] {42});
            anyDiffers |= !java.util.Arrays.equals(a, b);
            // Every output pixel is a source pixel of the same channel, or padding.
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 16; i++) {
                    float v = b[c * 16 + i] * 255f;
                    int p = Math.round(v);
                    assertTrue(p == 0 || (p / 5 >= c * 16 && p / 5 < (c + 1) * 16), "channel " + c + " value " + p);
                }
            }
        }
        assertTrue(anyDiffers, "steps draw different crops");
    }
}
