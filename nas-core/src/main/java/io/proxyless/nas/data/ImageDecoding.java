package io.proxyless.nas.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Turns one stored image into the 8-bit CHW pixels of a space's {@code input_shape}: encoded
 * PNG/JPEG/GIF/BMP bytes (decoded by the JDK's ImageIO), a raw tensor of bytes, or floats in [0, 1].
 * Grayscale becomes RGB by repeating the channel, RGB becomes grayscale by ITU-R BT.601 luma; an
 * image of another size is resized (bilinear) so its shorter side fits, then centre-cropped. Every
 * error names {@code where}: the file or the row.
 */
public final class ImageDecoding {

    static {
        // Decoding runs in executors with no display.
        ImageIO.setUseCache(false);
    }

    private ImageDecoding() {}

    /** Encoded image bytes, or a raw tensor of {@code C*H*W} (or {@code H*W}) bytes. */
    public static byte[] decode(byte[] bytes, int[] shape, String where) {
        return decode(bytes, null, shape, where, ImageLimits.DEFAULT_MAX_PIXELS);
    }

    /**
     * Encoded image bytes, or a raw tensor: of {@code rawShape} (CHW, 1 or 3 channels) when the source
     * knows it, which is then resized too, else of {@code C*H*W} (or {@code H*W}) bytes. An encoded
     * image that declares more than {@code maxPixels} pixels is refused before it is decoded.
     */
    public static byte[] decode(byte[] bytes, int[] rawShape, int[] shape, String where, long maxPixels) {
        if (bytes == null) {
            throw new BadDataException(where + ": the image is null");
        }
        if (bytes.length == 0) {
            throw new BadDataException(where + ": the image is empty (0 bytes)");
        }
        if (isEncoded(bytes)) {
            try {
                return fromImage(read(bytes, where, maxPixels), shape, where);
            } catch (BadDataException e) {
                // Raw pixels can begin like a file format by chance: the exact size of a raw tensor decides.
                if (!fitsRaw(bytes.length, rawShape, shape)) {
                    throw e;
                }
            }
        }
        if (rawShape != null && bytes.length == rawShape[0] * rawShape[1] * rawShape[2]
                && (rawShape[1] != shape[1] || rawShape[2] != shape[2])) {
            return fromImage(toImage(bytes, rawShape, where), shape, where);
        }
        int channels = channelsOfRaw(bytes.length, shape, where);
        return fitChannels(bytes, channels, shape, where);
    }

    private static BufferedImage toImage(byte[] chw, int[] shape, String where) {
        int h = shape[1];
        int w = shape[2];
        int plane = h * w;
        if (shape[0] == 1) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, w, h, chw);
            return image;
        }
        if (shape[0] != 3) {
            throw new BadDataException(where + ": a raw image of " + shape[0] + " channels; images have 1 or 3");
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (chw[i] & 0xff) << 16 | (chw[plane + i] & 0xff) << 8 | (chw[2 * plane + i] & 0xff);
        }
        image.setRGB(0, 0, w, h, rgb, 0, w);
        return image;
    }

    /** A raw tensor of floats in [0, 1], CHW, of {@code C*H*W} (or {@code H*W}) values. */
    public static byte[] decode(float[] values, int[] shape, String where) {
        if (values == null) {
            throw new BadDataException(where + ": the image is null");
        }
        int channels = channelsOfRaw(values.length, shape, where);
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new BadDataException(where + ": value " + v + " at index " + i
                        + " is outside [0, 1] (float images hold pixel values scaled to [0, 1])");
            }
            bytes[i] = (byte) Math.round(v * 255f);
        }
        return fitChannels(bytes, channels, shape, where);
    }

    /** The signature of a PNG, JPEG, GIF or BMP file (a BMP's header also states the file's length). */
    static boolean isEncoded(byte[] b) {
        return startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A) || startsWith(b, 0xFF, 0xD8, 0xFF)
                || startsWith(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a'
                || startsWith(b, 'B', 'M') && b.length >= 6 && littleEndianInt(b, 2) == b.length;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static boolean fitsRaw(int length, int[] rawShape, int[] shape) {
        int plane = shape[1] * shape[2];
        return length == plane || length == 3 * plane
                || rawShape != null && length == rawShape[0] * rawShape[1] * rawShape[2];
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int channelsOfRaw(int length, int[] shape, String where) {
        int plane = shape[1] * shape[2];
        if (length == plane) {
            return 1;
        }
        if (length == 3 * plane) {
            return 3;
        }
        throw new BadDataException(where + ": " + length + " values are neither an encoded image (PNG, JPEG, GIF, BMP)"
                + " nor a raw tensor of " + shape[0] + "x" + shape[1] + "x" + shape[2] + " (the space's input_shape)"
                + (shape[0] == 3 ? " or 1x" + shape[1] + "x" + shape[2] : ""));
    }

    /** Decodes with the first reader that takes the bytes, after checking the size its header declares. */
    private static BufferedImage read(byte[] bytes, String where, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadDataException(where + ": cannot decode the image (" + bytes.length + " bytes): no decoder"
                        + " takes it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageLimits.check(reader.getWidth(0), reader.getHeight(0), maxPixels, where);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadDataException bad) {
                throw bad;
            }
            throw new BadDataException(where + ": cannot decode the image (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    private static byte[] fromImage(BufferedImage image, int[] shape, String where) {
        if (image.getColorModel() instanceof IndexColorModel) {
            // Palette and 1-bit images: their one band indexes colours, so they are read as the colours.
            image = paletteToRgb(image);
        }
        int bands = image.getRaster().getNumBands();
        boolean gray = image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        if (!(gray && bands <= 2) && !(!gray && (bands == 3 || bands == 4))) {
            throw new BadDataException(where + ": an image of " + bands + " channels"
                    + (gray ? " (grayscale)" : "") + " cannot be made the " + shape[0]
                    + " channels of the space's input_shape; it takes grayscale, RGB and RGBA (alpha dropped)");
        }
        if (image.getHeight() != shape[1] || image.getWidth() != shape[2]) {
            image = resizeAndCrop(image, gray, shape[1], shape[2]);
        }
        int h = shape[1];
        int w = shape[2];
        int plane = h * w;
        if (gray) {
            Raster raster = image.getRaster();
            int bits = image.getColorModel().getComponentSize(0);
            int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            byte[] out = new byte[plane];
            for (int i = 0; i < plane; i++) {
                out[i] = (byte) (bits == 8 ? samples[i] : Math.round(samples[i] * 255.0 / ((1 << bits) - 1)));
            }
            return fitChannels(out, 1, shape, where);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            out[i] = (byte) (argb[i] >> 16);
            out[plane + i] = (byte) (argb[i] >> 8);
            out[2 * plane + i] = (byte) argb[i];
        }
        return fitChannels(out, 3, shape, where);
    }

    private static BufferedImage paletteToRgb(BufferedImage indexed) {
        int w = indexed.getWidth();
        int h = indexed.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        // Alpha is dropped, as for RGBA images.
        rgb.setRGB(0, 0, w, h, indexed.getRGB(0, 0, w, h, null, 0, w), 0, w);
        return rgb;
    }

    private static BufferedImage resizeAndCrop(BufferedImage image, boolean gray, int h, int w) {
        double scale = Math.max((double) h / image.getHeight(), (double) w / image.getWidth());
        int sh = Math.max(h, (int) Math.round(image.getHeight() * scale));
        int sw = Math.max(w, (int) Math.round(image.getWidth() * scale));
        BufferedImage out = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, -(sw - w) / 2, -(sh - h) / 2, sw, sh, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Pixels of {@code channels} channels as the space's channel count. */
    private static byte[] fitChannels(byte[] pixels, int channels, int[] shape, String where) {
        int plane = shape[1] * shape[2];
        if (channels == shape[0]) {
            return pixels;
        }
        if (channels == 1 && shape[0] == 3) {
            byte[] rgb = Arrays.copyOf(pixels, 3 * plane);
            System.arraycopy(pixels, 0, rgb, plane, plane);
            System.arraycopy(pixels, 0, rgb, 2 * plane, plane);
            return rgb;
        }
        if (channels == 3 && shape[0] == 1) {
            byte[] luma = new byte[plane];
            for (int i = 0; i < plane; i++) {
                luma[i] = (byte) Math.round(0.299 * (pixels[i] & 0xff) + 0.587 * (pixels[plane + i] & 0xff)
                        + 0.114 * (pixels[2 * plane + i] & 0xff));
            }
            return luma;
        }
        throw new BadDataException(where + ": an image of " + channels + " channels cannot be made the " + shape[0]
                + " channels of the space's input_shape " + Arrays.toString(shape) + "; spaces take 1 or 3");
    }
}
