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
import java.util.Map;
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

    /**
     * Deletes the partial files a writer that was killed mid-write left ({@code .NAME.tmp}); only the
     * folder's owner, holding its lock, may call this.
     */
    public void removePartialFiles() throws IOException {
        for (String name : output.list(FOLDER)) {
            if (name.startsWith(".") && name.endsWith(".tmp")) {
                LOG.info("removing {}, left by a run stopped while writing it", output.describe(FOLDER + "/" + name));
                output.delete(FOLDER + "/" + name);
            }
        }
    }

    /** The checkpoint files present, oldest first. */
    public List<String> names() throws IOException {
        return output.list(FOLDER).stream().filter(n -> NAME.matcher(n).matches()).sorted().toList();
    }

    /**
     * The metadata of the newest checkpoint whose header reads (its data unread and unchecked): what
     * a resume needs to know before the data are loaded.
     */
    public Optional<Map<String, String>> newestMetadata() throws IOException {
        for (String name : candidates()) {
            if (output.exists(name)) {
                try (var in = output.open(name)) {
                    return Optional.of(TensorFile.readMetadata(in, output.size(name), output.describe(name)));
                } catch (IOException e) {
                    LOG.debug("header of {} unreadable: {}", output.describe(name), e.toString());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a checkpoint that reads back whole can be used; it throws, naming the problem, if not. */
    @FunctionalInterface
    public interface Usability {
        void check(TensorFile file, String source) throws IOException;
    }

    /**
     * The newest checkpoint that reads back whole and is usable (LATEST's first, then by step, newest
     * first). A file over {@code maxBytes} is skipped by its size, unread; any that cannot be used is
     * skipped with a warning naming it and why.
     */
    public Optional<Loaded> newest(long maxBytes, Usability usable) throws IOException {
        for (String name : candidates()) {
            if (!output.exists(name)) {
                LOG.warn("Skipping checkpoint {}: LATEST names it, but it is not there", output.describe(name));
                continue;
            }
            String source = output.describe(name);
            try (var in = output.open(name)) {
                TensorFile file = TensorFile.read(in, output.size(name), maxBytes, source);
                usable.check(file, source);
                return Optional.of(new Loaded(name, file));
            } catch (IOException e) {
                LOG.warn("Skipping checkpoint {}: {}", output.describe(name), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** LATEST's checkpoint first, then every checkpoint by step, newest first. */
    private Set<String> candidates() throws IOException {
        Set<String> candidates = new LinkedHashSet<>();
        if (output.exists(LATEST) && output.size(LATEST) < 4096) {
            String latest = new String(output.read(LATEST), StandardCharsets.UTF_8).trim();
            if (latest.startsWith(FOLDER + "/") && NAME.matcher(latest.substring(FOLDER.length() + 1)).matches()) {
                candidates.add(latest);
            } else {
                LOG.warn("{} names no checkpoint ('{}'); the checkpoints are tried by step", output.describe(LATEST),
                        latest.length() > 80 ? latest.substring(0, 80) + "..." : latest);
            }
        }
        List<String> byStep = new ArrayList<>(names());
        java.util.Collections.reverse(byStep);
        byStep.forEach(n -> candidates.add(FOLDER + "/" + n));
        return candidates;
    }
}
