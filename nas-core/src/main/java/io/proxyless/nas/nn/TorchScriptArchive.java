package io.proxyless.nas.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the smallest TorchScript archive libtorch loads: a module class without parameters whose
 * methods are given as TorchScript source. libtorch compiles the source when it loads the archive,
 * so any ATen operator is reachable from Java without a Python toolchain or a binary file in the
 * repository.
 *
 * <p>The archive holds the source ({@code code/__torch__.py}), the module object pickled as an
 * instance of that class with its one attribute {@code training} ({@code data.pkl}), an empty
 * constants table and the format version, each stored uncompressed.
 */
final class TorchScriptArchive {

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
    /** The format version PyTorch 1.13 writes for such a module; libtorch 2.x still reads it. */
    private static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {}

    /**
     * The archive of one module class.
     *
     * @param className the class name, also the archive's folder
     * @param methods TorchScript method definitions starting at column 0, each taking
     *     {@code self: __torch__.<className>} first
     */
    static byte[] module(String className, String methods) {
        if (!CLASS_NAME.matcher(className).matches()) {
            throw new IllegalArgumentException("not a TorchScript class name: " + className);
        }
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods.indent(2);
        String folder = className.toLowerCase(Locale.ROOT) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, folder + "data.pkl", pickledInstance(className));
            stored(zip, folder + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, folder + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, folder + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of {@code __torch__.<className>()} with state {@code {"training": True}}. */
    private static byte[] pickledInstance(String className) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(0x80); // PROTO
        pickle.write(2);
        pickle.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        pickle.write(')'); // EMPTY_TUPLE
        pickle.write(0x81); // NEWOBJ
        pickle.write('}'); // EMPTY_DICT
        pickle.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        pickle.write('X'); // BINUNICODE, 4-byte little-endian length
        pickle.write(key.length);
        pickle.write(0);
        pickle.write(0);
        pickle.write(0);
        pickle.writeBytes(key);
        pickle.write(0x88); // NEWTRUE
        pickle.write('u'); // SETITEMS
        pickle.write('b'); // BUILD
        pickle.write('.'); // STOP
        return pickle.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
