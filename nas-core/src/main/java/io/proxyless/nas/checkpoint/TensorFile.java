package io.proxyless.nas.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    /** Parses a file; {@code source} names it in every error. */
    public static TensorFile parse(byte[] file, String source) throws IOException {
        if (file.length < 8) {
            throw new IOException(source + ": " + file.length + " bytes, too short for a tensor file");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength < 2 || headerLength > file.length - 8) {
            throw new IOException(source + ": header length " + headerLength + " does not fit in " + file.length + " bytes");
        }
        int dataStart = 8 + (int) headerLength;
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(source + ": header is not a JSON object: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header.has("__metadata__")) {
            header.getAsJsonObject("__metadata__").entrySet().forEach(e -> metadata.put(e.getKey(), e.getValue().getAsString()));
        }
        String expected = metadata.remove(CHECKSUM);
        String actual = sha256(file, dataStart, file.length - dataStart);
        if (expected == null || !expected.equals(actual)) {
            throw new IOException(source + ": data checksum " + actual + " differs from the header's " + expected
                    + " (truncated or altered)");
        }
        Map<String, float[]> floats = new LinkedHashMap<>();
        Map<String, double[]> doubles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject entry = e.getValue().getAsJsonObject();
            JsonArray offsets = entry.getAsJsonArray("data_offsets");
            long from = offsets.get(0).getAsLong();
            long to = offsets.get(1).getAsLong();
            if (from < 0 || to < from || dataStart + to > file.length) {
                throw new IOException(source + ": tensor '" + e.getKey() + "' lies outside the file");
            }
            ByteBuffer slice = ByteBuffer.wrap(file, dataStart + (int) from, (int) (to - from)).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (entry.get("dtype").getAsString()) {
                case "F32" -> {
                    float[] values = new float[(int) (to - from) / 4];
                    slice.asFloatBuffer().get(values);
                    floats.put(e.getKey(), values);
                }
                case "F64" -> {
                    double[] values = new double[(int) (to - from) / 8];
                    slice.asDoubleBuffer().get(values);
                    doubles.put(e.getKey(), values);
                }
                default -> throw new IOException(source + ": tensor '" + e.getKey() + "' has dtype "
                        + entry.get("dtype") + "; expected F32 or F64");
            }
        }
        return new TensorFile(metadata, floats, doubles);
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
