package io.proxyless.nas.savedmodel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face's): an 8-byte little-endian header length, a JSON header
 * mapping each tensor's name to its dtype, shape and byte range, then the raw little-endian data.
 * {@code safetensors.torch.load_file} reads what this writes, so PyTorch users load the weights
 * without this project; a reader cannot execute anything from the file, unlike a pickle.
 */
public final class SafeTensors {

    /** A tensor of 32-bit floats. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
                        + " values, got " + values.length);
            }
        }
    }

    /** What a file holds: tensors in file order, and the header's string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            long size = (long) e.getValue().values().length * Float.BYTES;
            JsonArray range = new JsonArray();
            range.add(offset);
            range.add(offset + size);
            entry.add("data_offsets", range);
            header.add(e.getKey(), entry);
            offset += size;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // Padded with spaces so that the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (float v : t.values()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /** Reads a whole file; errors name {@code source} and what is wrong (truncated, bad header, ...). */
    public static Contents read(byte[] file, String source) {
        if (file.length < 8) {
            throw new IllegalArgumentException(source + ": " + file.length + " bytes, too short for a safetensors file");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > file.length) {
            throw new IllegalArgumentException(source + ": header of " + headerLength + " bytes in a file of "
                    + file.length + " (truncated, or not a safetensors file)");
        }
        JsonObject header;
        try {
            JsonElement parsed = JsonParser.parseString(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
            header = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": the header is not a JSON object: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLength;
        long dataLength = file.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        java.util.TreeMap<Long, Long> ranges = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            String name = e.getKey();
            try {
                JsonObject entry = e.getValue().getAsJsonObject();
                String dtype = entry.get("dtype").getAsString();
                if (!dtype.equals("F32")) {
                    throw new IllegalArgumentException("dtype " + dtype + "; this model stores F32");
                }
                JsonArray shapeJson = entry.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    count *= shape[i];
                }
                JsonArray range = entry.getAsJsonArray("data_offsets");
                long begin = range.get(0).getAsLong();
                long end = range.get(1).getAsLong();
                if (begin < 0 || end - begin != count * Float.BYTES) {
                    throw new IllegalArgumentException("bytes " + begin + ".." + end + " do not hold its "
                            + count + " floats");
                }
                if (end > dataLength) {
                    throw new IllegalArgumentException("its data ends at byte " + end + " but the file holds "
                            + dataLength + " data bytes (truncated)");
                }
                float[] values = new float[(int) count];
                ByteBuffer data = ByteBuffer.wrap(file, (int) (dataStart + begin), (int) (end - begin))
                        .order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().get(values);
                tensors.put(name, new Tensor(shape, values));
                ranges.put(begin, end);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "': " + ex.getMessage(), ex);
            }
        }
        // The ranges must tile the data exactly: no overlap, no gap, nothing after the last.
        long expectedEnd = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            if (r.getKey() != expectedEnd) {
                throw new IllegalArgumentException(source + ": tensor data overlaps or leaves a gap at byte " + expectedEnd);
            }
            expectedEnd = r.getValue();
        }
        if (expectedEnd != dataLength) {
            throw new IllegalArgumentException(source + ": " + (dataLength - expectedEnd)
                    + " bytes after the last tensor's data");
        }
        return new Contents(tensors, metadata);
    }
}
