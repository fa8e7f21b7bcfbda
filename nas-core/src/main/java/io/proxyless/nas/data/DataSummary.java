package io.proxyless.nas.data;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the driver knows of a search's data, wherever its rows are: counts, checksums and the
 * normalisation, never rows. The checkpoint's data fingerprint and run.json come from it.
 *
 * @param source where the rows came from, and in which format
 * @param classNames class names by index: directory or string labels sorted, or the integers
 * @param weightClasses rows per class of the weight split
 * @param weightChecksum the sum of {@link RowKey#checksumTerm} over the weight split's rows
 * @param normalization the normalisation the steps use
 * @param normalizationFrom {@code configured}, or what it was computed from
 */
public record DataSummary(String source, List<String> classNames, SortedMap<Integer, Integer> weightClasses,
        long weightChecksum, SortedMap<Integer, Integer> archClasses, long archChecksum, Normalization normalization,
        String normalizationFrom) implements Serializable {

    public DataSummary {
        classNames = List.copyOf(classNames);
        weightClasses = new TreeMap<>(weightClasses);
        archClasses = new TreeMap<>(archClasses);
    }

    /** The summary of two splits held in this JVM. */
    public static DataSummary of(String source, List<String> classNames, ImageDataset weight, ImageDataset arch,
            Normalization configured) {
        return of(source, classNames, weight.classCounts(), weight.checksum(), arch.classCounts(), arch.checksum(),
                configured, weight.pixelSums().merge(arch.pixelSums()), weight.channels());
    }

    /**
     * The summary of two splits wherever they are held, with the normalisation {@code configured}
     * (for {@code channels} channels) or, when that is null, the one of the training rows' pixel sums.
     */
    public static DataSummary of(String source, List<String> classNames, SortedMap<Integer, Integer> weightClasses,
            long weightChecksum, SortedMap<Integer, Integer> archClasses, long archChecksum, Normalization configured,
            PixelSums trainingPixels, int channels) {
        Normalization norm = configured != null
                ? configured.forChannels(channels, "dataset.mean (--mean)")
                : trainingPixels.normalization();
        return new DataSummary(source, classNames, weightClasses, weightChecksum, archClasses, archChecksum, norm,
                configured != null ? "configured" : "computed from the training rows");
    }

    public int weightSize() {
        return weightClasses.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int archSize() {
        return archClasses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** What a checkpoint compares before it resumes. */
    public Map<String, String> fingerprint() {
        Map<String, String> data = new TreeMap<>();
        data.put("source", source);
        data.put("classes", classNames.toString());
        data.put("weight_split.rows", Integer.toString(weightSize()));
        data.put("weight_split.classes", weightClasses.toString());
        data.put("weight_split.checksum", Long.toHexString(weightChecksum));
        data.put("architecture_split.rows", Integer.toString(archSize()));
        data.put("architecture_split.classes", archClasses.toString());
        data.put("architecture_split.checksum", Long.toHexString(archChecksum));
        data.put("normalization", normalization.toString());
        return data;
    }

    /** For run.json. */
    public Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("source", source);
        info.put("weight_split_images", weightSize());
        info.put("architecture_split_images", archSize());
        info.put("classes", classNames);
        info.put("normalization", normalization.describe(normalizationFrom));
        return info;
    }
}
