package io.proxyless.spark;

import io.proxyless.nas.data.IdxReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Real images written by tests in the layouts users have: IDX, Parquet and image folders. */
public final class TestImages {

    /** Grayscale rows: {@code pixels[i]} is {@code height*width} bytes of class {@code labels[i]}. */
    public record Rows(byte[][] pixels, int[] labels, int height, int width) {

        public int size() {
            return labels.length;
        }
    }

    private TestImages() {}

    /** The first {@code n} training rows of the real Fashion-MNIST. */
    public static Rows fashionMnist(int n) throws IOException {
        return fashionMnist("train", n);
    }

    /** The first {@code n} rows of the real Fashion-MNIST's {@code train} or {@code t10k} files. */
    public static Rows fashionMnist(String split, int n) throws IOException {
        SparkTestSupport.fashionMnist();
        Path dir = SparkTestSupport.FASHION_MNIST;
        try (InputStream images = Files.newInputStream(dir.resolve(split + "-images-idx3-ubyte.gz"));
                InputStream labels = Files.newInputStream(dir.resolve(split + "-labels-idx1-ubyte.gz"));
                IdxReader.Records imageRecords = IdxReader.records(images, "images", true, -1);
                IdxReader.Records labelRecords = IdxReader.records(labels, "labels", false, -1)) {
            int[] dims = imageRecords.dimensions();
            byte[] all = imageRecords.read(0, n);
            byte[] classes = labelRecords.read(0, n);
            byte[][] pixels = new byte[n][];
            int[] l = new int[n];
            int size = dims[0] * dims[1];
            for (int i = 0; i < n; i++) {
                pixels[i] = java.util.Arrays.copyOfRange(all, i * size, (i + 1) * size);
                l[i] = classes[i] & 0xff;
            }
            return new Rows(pixels, l, dims[0], dims[1]);
        }
    }

    /** {@code train-images-idx3-ubyte} plain and {@code train-labels-idx1-ubyte.gz} gzipped. */
    public static void writeIdx(Path dir, Rows rows) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(0x803);
            out.writeInt(rows.size());
            out.writeInt(rows.height());
            out.writeInt(rows.width());
            for (byte[] p : rows.pixels()) {
                out.write(p);
            }
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x801);
            out.writeInt(rows.size());
            for (int label : rows.labels()) {
                out.writeByte(label);
            }
        }
    }

    /** A Parquet table (image: raw bytes, label: int) in {@code files} files, rows in reverse order. */
    public static void writeParquet(SparkSession spark, Path dir, Rows rows, int files) {
        List<Row> table = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            table.add(RowFactory.create(i, rows.labels()[i], rows.pixels()[i]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                .add("image", DataTypes.BinaryType);
        spark.createDataFrame(table, schema).repartition(files).write().parquet(dir.toUri().toString());
    }

    /** {@code dir/<label>/<i>.png}, 8-bit grayscale. */
    public static void writePngFolder(Path dir, Rows rows) throws IOException {
        for (int i = 0; i < rows.size(); i++) {
            BufferedImage image = new BufferedImage(rows.width(), rows.height(), BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, rows.width(), rows.height(), rows.pixels()[i]);
            Path file = dir.resolve(Integer.toString(rows.labels()[i])).resolve(String.format("%05d.png", i));
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ImageIO.write(image, "png", out);
            }
        }
    }

    public static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * {@code dir/<class>/<i>.png}, 32x32 RGB, {@code classes} classes with a learnable signal: class
     * {@code c} is a noisy image whose brightest channel is {@code c % 3}, with a bar whose position
     * depends on {@code c / 3}.
     */
    public static void writeColourFolder(Path dir, List<String> classes, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < classes.size(); c++) {
            Path folder = dir.resolve(classes.get(c));
            Files.createDirectories(folder);
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int[] rgb = new int[3];
                        for (int ch = 0; ch < 3; ch++) {
                            rgb[ch] = 40 + random.nextInt(60) + (ch == c % 3 ? 110 : 0);
                        }
                        if ((c / 3) % 2 == 1 && y >= 12 && y < 20) {
                            rgb = new int[] {250, 250, 250};
                        }
                        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                Files.write(folder.resolve(String.format("%04d.png", i)), png(image));
            }
        }
    }
}
