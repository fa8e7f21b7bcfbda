package io.proxyless.nas.mobilenet;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of every layer of a space: the fixed parts, and for each cell label the op of each
 * candidate ({@code null} for {@code zero}), in the same order as the supernet's candidates.
 */
public final class SpaceLayout {

    private final List<OpShape> fixed = new ArrayList<>();
    private final Map<String, List<OpShape>> cells = new LinkedHashMap<>();
    private final Map<String, List<String>> candidateNames = new LinkedHashMap<>();

    public SpaceLayout(MobileNetSpace config) {
        int[] in = config.inputShape();
        int c = in[0];
        int h = in[1];
        int w = in[2];
        int s = config.firstConvStride();
        int fc = config.firstConvChannels();
        fixed.add(new OpShape(OpShape.FIRST_CONV, h, w, c, out(h, s), out(w, s), fc, 0, 3, s, false));
        h = out(h, s);
        w = out(w, s);
        fixed.add(new OpShape(OpShape.MBCONV, h, w, fc, h, w, config.firstBlockChannels(), 1, 3, 1, false));
        c = config.firstBlockChannels();
        int index = 0;
        int[] widths = config.widthStages();
        int[] counts = config.nCellStages();
        int[] strides = config.strideStages();
        for (int stage = 0; stage < widths.length; stage++) {
            for (int k = 0; k < counts[stage]; k++) {
                int stride = k == 0 ? strides[stage] : 1;
                int oc = widths[stage];
                boolean same = stride == 1 && c == oc;
                List<OpShape> ops = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (String name : config.candidateOps()) {
                    CandidateOp op = CandidateOp.parse(name, "candidate_ops");
                    ops.add(new OpShape(OpShape.MBCONV, h, w, c, out(h, stride), out(w, stride), oc,
                            op.expand(), op.kernel(), stride, same));
                    names.add(name);
                }
                if (same && config.zeroOp()) {
                    ops.add(null);
                    names.add(CandidateOp.ZERO);
                }
                String label = "s" + index++;
                cells.put(label, ops);
                candidateNames.put(label, names);
                h = out(h, stride);
                w = out(w, stride);
                c = oc;
            }
        }
        if (config.featureMixChannels() > 0) {
            fixed.add(new OpShape(OpShape.FEATURE_MIX, h, w, c, h, w, config.featureMixChannels(), 0, 1, 1, false));
            c = config.featureMixChannels();
        }
        fixed.add(new OpShape(OpShape.LOGITS, h, w, c, 1, 1, config.numClasses(), 0, 0, 0, false));
    }

    private static int out(int size, int stride) {
        return (size - 1) / stride + 1;
    }

    /** The values a supernet of this space holds: the fixed layers and every candidate of every cell. */
    public long supernetWeights() {
        long total = fixed().stream().mapToLong(OpShape::weights).sum();
        for (List<OpShape> ops : cells().values()) {
            total += ops.stream().filter(java.util.Objects::nonNull).mapToLong(OpShape::weights).sum();
        }
        return total;
    }

    public List<OpShape> fixed() {
        return fixed;
    }

    /** Candidate ops by label; {@code null} entries are {@code zero}. */
    public Map<String, List<OpShape>> cells() {
        return cells;
    }

    public List<String> candidateNames(String label) {
        return candidateNames.get(label);
    }

    /** Every distinct op of the space, fixed parts first. */
    public List<OpShape> distinctOps() {
        Map<String, OpShape> ops = new LinkedHashMap<>();
        fixed.forEach(op -> ops.putIfAbsent(op.key(), op));
        cells.values().forEach(list -> list.stream().filter(java.util.Objects::nonNull)
                .forEach(op -> ops.putIfAbsent(op.key(), op)));
        return new ArrayList<>(ops.values());
    }
}
