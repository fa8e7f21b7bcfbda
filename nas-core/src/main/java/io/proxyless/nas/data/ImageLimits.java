package io.proxyless.nas.data;

/**
 * How large an image may be before it is decoded. A compressed file can declare far more pixels than
 * its bytes suggest (a 1.5 MB PNG of 40000x40000 decodes to 6.4 GB), so the declared size is checked
 * from the header first.
 */
public final class ImageLimits {

    /**
     * The default of {@code dataset.max_image_pixels}: 50 megapixels, an 8192x6144 photograph, far
     * above the largest preset's 224x224 input; decoded as RGB it takes 200 MB.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private ImageLimits() {}

    /** Refuses an image whose declared size exceeds {@code maxPixels}, naming where it is and the option. */
    public static void check(long width, long height, long maxPixels, String where) {
        if (width * height > maxPixels) {
            throw new BadDataException(where + ": the image declares " + width + "x" + height + " pixels ("
                    + width * height + "), more than dataset.max_image_pixels (" + maxPixels + "); raise it"
                    + " (--set dataset.max_image_pixels=N) if such images are meant to be read");
        }
    }
}
