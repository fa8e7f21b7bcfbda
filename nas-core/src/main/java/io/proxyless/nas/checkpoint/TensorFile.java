package io.proxyless.nas.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float and double arrays in the safetensors layout: an 8-byte little-endian header length,
 * a JSON header mapping each name to {@code {dtype, shape, data_offsets}} plus string
 * {@code __metadata__}, then the raw little-endian data. PyTorch users read it with
 * {@code safetensors.torch.load_file}; it is parsed as data only. The metadata carries a SHA-256 of
 * the data section, so a truncated or altered file is refused.
 */
public final class TensorFile {

    private static final String CHECKSUM = "data_sha256";

    private final Map<String, String> metadata;
    private final Map<String, float[]> floats;
    private final Map<String, double[]> doubles;

    public TensorFile(Map<String, String> metadata, Map<String, float[]> floats, Map<String, double[]> doubles) {
        this.metadata = new LinkedHashMap<>(metadata);
        this.floats = new LinkedHashMap<>(floats);
        this.doubles = new LinkedHashMap<>(doubles);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, float[]> floats() {
        return floats;
    }

    public Map<String, double[]> doubles() {
        return doubles;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        JsonObject header = new JsonObject();
        floats.forEach((name, values) -> {
            ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            header.add(name, entry("F32", values.length, data.size(), buffer.array().length));
            data.writeBytes(buffer.array());
        });
        doubles.forEach((name, values) -> {
            ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asDoubleBuffer().put(values);
            header.add(name, entry("F64", values.length, data.size(), buffer.array().length));
            data.writeBytes(buffer.array());
        });
        byte[] body = data.toByteArray();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        meta.addProperty(CHECKSUM, sha256(body, 0, body.length));
        header.add("__metadata__", meta);
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(body);
        return out.array();
    }

    private static JsonObject entry(String dtype, int length, int offset, int bytes) {
        JsonObject entry = new JsonObject();
        entry.addProperty("dtype", dtype);
        JsonArray shape = new JsonArray();
        shape.add(length);
        entry.add("shape", shape);
        JsonArray offsets = new JsonArray();
        offsets.add(offset);
        offsets.add(offset + bytes);
        entry.add("data_offsets", offsets);
        return entry;
    }

    /** The most bytes a header may take: far above any supernet's, far below any heap. */
    public static final long MAX_HEADER_BYTES = 16L << 20;

    /**
     * Reads a file of {@code length} bytes from {@code in}, refusing one longer than {@code maxBytes}
     * before reading it; {@code source} names it in every error.
     */
    public static TensorFile read(InputStream in, long length, long maxBytes, String source) throws IOException {
        if (length > maxBytes || length > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": " + length + " bytes, more than the " + maxBytes
                    + " bytes a file of this kind can hold here");
        }
        return parse(in.readNBytes((int) length), source);
    }

    /** The string metadata of a file, reading its header alone (at most {@link #MAX_HEADER_BYTES}). */
    public static Map<String, String> readMetadata(InputStream in, long length, String source) throws IOException {
        byte[] prefix = in.readNBytes(8);
        long headerLength = headerLength(prefix, length, source);
        return metadata(header(in.readNBytes((int) headerLength), source), source);
    }

    /** Parses a file; {@code source} names it in every error. */
    public static TensorFile parse(byte[] file, String source) throws IOException {
        long headerLength = headerLength(file, file.length, source);
        int dataStart = 8 + (int) headerLength;
        JsonObject header = header(java.util.Arrays.copyOfRange(file, 8, dataStart), source);
        Map<String, String> metadata = metadata(header, source);
        String expected = metadata.remove(CHECKSUM);
        String actual = sha256(file, dataStart, file.length - dataStart);
        if (expected == null || !expected.equals(actual)) {
            throw new IOException(source + ": data checksum " + actual + " differs from the header's " + expected
                    + " (truncated or altered)");
        }
        long dataLength = file.length - dataStart;
        Map<String, float[]> floats = new LinkedHashMap<>();
        Map<String, double[]> doubles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String where = source + ": tensor '" + e.getKey() + "'";
            long[] range = offsets(e.getValue(), where);
            String dtype = dtype(e.getValue(), where);
            int width = dtype.equals("F32") ? 4 : 8;
            long from = range[0];
            long to = range[1];
            // Compared as lengths, never as sums: offsets near Long.MAX_VALUE must not wrap around.
            if (from < 0 || to < from || to > dataLength || (to - from) % width != 0) {
                throw new IOException(where + " has data_offsets [" + from + ", " + to + "], outside the " + dataLength
                        + " data bytes or not whole " + dtype + " values");
            }
            ByteBuffer slice = ByteBuffer.wrap(file, dataStart + (int) from, (int) (to - from)).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (width == 4) {
                float[] values = new float[(int) (to - from) / 4];
                slice.asFloatBuffer().get(values);
                floats.put(e.getKey(), values);
            } else {
                double[] values = new double[(int) (to - from) / 8];
                slice.asDoubleBuffer().get(values);
                doubles.put(e.getKey(), values);
            }
        }
        return new TensorFile(metadata, floats, doubles);
    }

    private static long headerLength(byte[] prefix, long fileLength, String source) throws IOException {
        if (prefix.length < 8 || fileLength < 8) {
            throw new IOException(source + ": " + fileLength + " bytes, too short for a tensor file");
        }
        long headerLength = ByteBuffer.wrap(prefix, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > fileLength - 8 || headerLength > MAX_HEADER_BYTES) {
            throw new IOException(source + ": header length " + headerLength + " does not fit in " + fileLength
                    + " bytes (or is over " + MAX_HEADER_BYTES + ")");
        }
        return headerLength;
    }

    private static JsonObject header(byte[] json, String source) throws IOException {
        try {
            return JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(source + ": header is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> metadata(JsonObject header, String source) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonElement meta = header.get("__metadata__");
        if (meta == null) {
            return metadata;
        }
        if (!meta.isJsonObject()) {
            throw new IOException(source + ": __metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonElement> e : meta.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                throw new IOException(source + ": __metadata__ '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().getAsString());
        }
        return metadata;
    }

    private static long[] offsets(JsonElement entry, String where) throws IOException {
        JsonElement offsets = entry.isJsonObject() ? entry.getAsJsonObject().get("data_offsets") : null;
        if (offsets == null || !offsets.isJsonArray() || offsets.getAsJsonArray().size() != 2) {
            throw new IOException(where + " has no data_offsets [from, to]");
        }
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonElement v = offsets.getAsJsonArray().get(i);
            try {
                range[i] = v.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (RuntimeException e) {
                throw new IOException(where + " has data_offsets that are not integers: " + offsets);
            }
        }
        return range;
    }

    private static String dtype(JsonElement entry, String where) throws IOException {
        JsonElement dtype = entry.getAsJsonObject().get("dtype");
        String name = dtype != null && dtype.isJsonPrimitive() ? dtype.getAsString() : null;
        if (!"F32".equals(name) && !"F64".equals(name)) {
            throw new IOException(where + " has dtype " + dtype + "; expected F32 or F64");
        }
        return name;
    }

    private static String sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
