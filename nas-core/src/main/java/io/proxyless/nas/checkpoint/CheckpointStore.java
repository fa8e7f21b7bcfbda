package io.proxyless.nas.checkpoint;

import io.proxyless.nas.io.OutputFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checkpoints of a run, in {@code checkpoints/} of its output folder, through the folder's own
 * file system (local, HDFS and S3 alike). Each is written under a temporary name and renamed, then
 * {@code checkpoints/LATEST} is pointed at it; the newest {@code keep} are kept. Reading skips a
 * corrupt or partial file with a warning naming it.
 */
public final class CheckpointStore {

    public static final String FOLDER = "checkpoints";
    private static final String LATEST = FOLDER + "/LATEST";
    private static final Pattern NAME = Pattern.compile("step-\\d{12}\\.ckpt");
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final OutputFolder output;
    private final int keep;

    public CheckpointStore(OutputFolder output, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.output = output;
        this.keep = keep;
    }

    /** A checkpoint read back: its name and contents. */
    public record Loaded(String name, TensorFile file) {}

    /** Writes a checkpoint of the state after {@code step} and drops all but the newest {@code keep}. */
    public String save(long step, TensorFile file) throws IOException {
        String name = FOLDER + "/" + String.format(Locale.ROOT, "step-%012d.ckpt", step);
        output.writeAtomically(name, file.toBytes());
        output.writeAtomically(LATEST, name.getBytes(StandardCharsets.UTF_8));
        List<String> all = names();
        for (int i = 0; i < all.size() - keep; i++) {
            output.delete(FOLDER + "/" + all.get(i));
        }
        return name;
    }

    /** The checkpoint files present, oldest first. */
    public List<String> names() throws IOException {
        return output.list(FOLDER).stream().filter(n -> NAME.matcher(n).matches()).sorted().toList();
    }

    /** The newest checkpoint that reads back whole (LATEST's first, then by step, newest first). */
    public Optional<Loaded> newest() throws IOException {
        Set<String> candidates = new LinkedHashSet<>();
        if (output.exists(LATEST)) {
            candidates.add(new String(output.read(LATEST), StandardCharsets.UTF_8).trim());
        }
        List<String> byStep = new ArrayList<>(names());
        java.util.Collections.reverse(byStep);
        byStep.forEach(n -> candidates.add(FOLDER + "/" + n));
        for (String name : candidates) {
            if (!output.exists(name)) {
                LOG.warn("Skipping checkpoint {}: LATEST names it, but it is not there", output.describe(name));
                continue;
            }
            try {
                TensorFile file = TensorFile.parse(output.read(name), output.describe(name));
                SearchCheckpoint.checkFormat(file, output.describe(name));
                return Optional.of(new Loaded(name, file));
            } catch (IOException e) {
                LOG.warn("Skipping checkpoint {}: {}", output.describe(name), e.getMessage());
            }
        }
        return Optional.empty();
    }
}
