package io.proxyless.nas.config;

import io.proxyless.nas.arch.BinaryMode;
import io.proxyless.nas.device.ComputeDevice;
import io.proxyless.nas.space.SpaceConfig;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Every argument of the search, with NNI's {@code ProxylessTrainer} names and defaults, plus our
 * own ({@code binary_mode}, {@code arch_update_frequency}, {@code label_smoothing}, {@code seed}, data
 * and optimizer settings). Built with {@link #builder()} or from YAML with {@link ConfigLoader}.
 * Validation errors name the option as {@code snake_case (--kebab-case)}.
 */
public final class TrainerConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SpaceConfig model;
    private final String loss;
    private final List<String> metrics;
    private final OptimizerConfig optimizer;
    private final int numEpochs;
    private final DatasetConfig dataset;
    private final int warmupEpochs;
    private final int batchSize;
    private final int workers;
    private final String device;
    private final int logFrequency;
    private final double arcLearningRate;
    private final String gradRegLossType;
    private final Map<String, Double> gradRegLossParams;
    private final String appliedHardware;
    private final String latencyTable;
    private final int[] dummyInput;
    private final Double refLatency;
    private final BinaryMode binaryMode;
    private final int archUpdateFrequency;
    private final float labelSmoothing;
    private final long seed;
    private final int shards;
    private final int checkpointEvery;
    private final Double targetLatency;
    private final String algorithm;
    private final int reinforceSamples;
    private final int reinforceBatchSize;
    private final String reinforceReward;

    private TrainerConfig(Builder b) {
        model = b.model;
        loss = b.loss;
        metrics = List.copyOf(b.metrics);
        optimizer = b.optimizer;
        numEpochs = b.numEpochs;
        dataset = b.dataset;
        warmupEpochs = b.warmupEpochs;
        batchSize = b.batchSize;
        workers = b.workers;
        device = b.device;
        logFrequency = b.logFrequency;
        arcLearningRate = b.arcLearningRate;
        gradRegLossType = b.gradRegLossType;
        gradRegLossParams = Map.copyOf(b.gradRegLossParams);
        appliedHardware = b.appliedHardware;
        latencyTable = b.latencyTable;
        int[] input = model.inputShape();
        dummyInput = b.dummyInput != null ? b.dummyInput.clone() : new int[] {1, input[0], input[1], input[2]};
        refLatency = b.refLatency;
        binaryMode = b.binaryMode;
        archUpdateFrequency = b.archUpdateFrequency;
        labelSmoothing = b.labelSmoothing;
        seed = b.seed;
        shards = b.shards;
        checkpointEvery = b.checkpointEvery;
        targetLatency = b.targetLatency;
        algorithm = b.algorithm;
        reinforceSamples = b.reinforceSamples;
        reinforceBatchSize = b.reinforceBatchSize;
        reinforceReward = b.reinforceReward;
        validate();
    }

    /**
     * {@code name (--flag)}: how errors name an option. {@code name} is a YAML key
     * ({@code optimizer.momentum}), its last part ({@code momentum}), or a flag's name ({@code data}).
     */
    public static String option(String name) {
        String flag = ConfigOptions.ALL.stream()
                .filter(o -> o.key().equals(name) || o.name().equals(name) || o.flag().equals("--" + name.replace('_', '-')))
                .map(ConfigOption::flag).findFirst().orElse("--" + name.replace('_', '-'));
        return name + " (" + flag + ")";
    }

    private void validate() {
        // Each option's own range is declared with it; what follows relates options to each other.
        ConfigOptions.check(ConfigOptions.valuesOf(this));
        if (isReinforce() && gradRegLossType != null) {
            throw new IllegalArgumentException(option("grad_reg_loss_type") + " '" + gradRegLossType + "' is a term of the"
                    + " gradient algorithm; " + option("algorithm") + " reinforce prices latency in its reward: drop it");
        }
        if (warmupEpochs < 0 || warmupEpochs > numEpochs) {
            throw new IllegalArgumentException(
                    option("warmup_epochs") + " must be in 0.." + numEpochs + " (num_epochs), got " + warmupEpochs);
        }
        if (shards < 0 || shards > batchSize) {
            throw new IllegalArgumentException(option("shards") + " must be in 0.." + batchSize + " ("
                    + option("batch_size") + "; 0: one per partition), got " + shards);
        }
        ComputeDevice.parse(device, option("device"));
        if (gradRegLossType == null && appliedHardware != null && targetLatency == null && !isReinforce()) {
            throw new IllegalArgumentException(option("applied_hardware") + " is set but "
                    + option("grad_reg_loss_type") + " is none and there is no " + option("target_latency")
                    + ": choose add#linear or mul#log, or a target, or " + option("algorithm") + " reinforce");
        }
        if (gradRegLossType != null && appliedHardware == null) {
            throw new IllegalArgumentException(option("grad_reg_loss_type") + " '" + gradRegLossType
                    + "' needs a latency table: set " + option("applied_hardware"));
        }
        if (targetLatency != null && appliedHardware == null) {
            throw new IllegalArgumentException(option("target_latency") + " is a latency in a table: set "
                    + option("applied_hardware"));
        }
        if (dummyInput.length != 4 || dummyInput[0] < 1) {
            throw new IllegalArgumentException(option("dummy_input") + ": expected [batch, channels, height, width]");
        }
        int[] input = model.inputShape();
        for (int i = 0; i < 3; i++) {
            if (dummyInput[i + 1] != input[i]) {
                throw new IllegalArgumentException(option("dummy_input") + ": sample shape "
                        + java.util.Arrays.toString(java.util.Arrays.copyOfRange(dummyInput, 1, 4))
                        + " differs from the space's input_shape " + java.util.Arrays.toString(input));
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.loss = loss;
        b.metrics = metrics;
        b.optimizer = optimizer;
        b.numEpochs = numEpochs;
        b.dataset = dataset;
        b.warmupEpochs = warmupEpochs;
        b.batchSize = batchSize;
        b.workers = workers;
        b.device = device;
        b.logFrequency = logFrequency;
        b.arcLearningRate = arcLearningRate;
        b.gradRegLossType = gradRegLossType;
        b.gradRegLossParams = gradRegLossParams;
        b.appliedHardware = appliedHardware;
        b.latencyTable = latencyTable;
        b.dummyInput = dummyInput;
        b.refLatency = refLatency;
        b.binaryMode = binaryMode;
        b.archUpdateFrequency = archUpdateFrequency;
        b.labelSmoothing = labelSmoothing;
        b.seed = seed;
        b.shards = shards;
        b.checkpointEvery = checkpointEvery;
        b.targetLatency = targetLatency;
        b.algorithm = algorithm;
        b.reinforceSamples = reinforceSamples;
        b.reinforceBatchSize = reinforceBatchSize;
        b.reinforceReward = reinforceReward;
        return b;
    }

    public SpaceConfig model() {
        return model;
    }

    public String loss() {
        return loss;
    }

    public List<String> metrics() {
        return metrics;
    }

    public OptimizerConfig optimizer() {
        return optimizer;
    }

    public int numEpochs() {
        return numEpochs;
    }

    public DatasetConfig dataset() {
        return dataset;
    }

    public int warmupEpochs() {
        return warmupEpochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public int workers() {
        return workers;
    }

    public String device() {
        return device;
    }

    /** The device the networks run on; whether this JVM can reach it is checked where one is built. */
    public ComputeDevice computeDevice() {
        return ComputeDevice.parse(device, option("device"));
    }

    public int logFrequency() {
        return logFrequency;
    }

    public double arcLearningRate() {
        return arcLearningRate;
    }

    public String gradRegLossType() {
        return gradRegLossType;
    }

    public Map<String, Double> gradRegLossParams() {
        return gradRegLossParams;
    }

    public String appliedHardware() {
        return appliedHardware;
    }

    /** A table file for an nn-Meter device, or {@code null}. */
    public String latencyTable() {
        return latencyTable;
    }

    public int[] dummyInput() {
        return dummyInput.clone();
    }

    /** The reference latency, or {@code null} to use the hardware's default. */
    public Double refLatency() {
        return refLatency;
    }

    public BinaryMode binaryMode() {
        return binaryMode;
    }

    public int archUpdateFrequency() {
        return archUpdateFrequency;
    }

    public float labelSmoothing() {
        return labelSmoothing;
    }

    public long seed() {
        return seed;
    }

    /**
     * How many shards each batch is cut into, or 0 for one per data partition. A shard is computed
     * whole by one task and batch norm normalises within it, so for a given number of shards the
     * search is the same on any number of partitions and executors.
     */
    public int shards() {
        return shards;
    }

    /** The latency the exported network must meet, in the table's unit, or {@code null}. */
    public Double targetLatency() {
        return targetLatency;
    }

    /** A checkpoint every this many weight steps, and at the end of every epoch. */
    /** {@code gradient} (BinaryConnect gate gradients, the default) or {@code reinforce}. */
    public String algorithm() {
        return algorithm;
    }

    public boolean isReinforce() {
        return "reinforce".equals(algorithm);
    }

    /** Networks sampled per REINFORCE architecture step. */
    public int reinforceSamples() {
        return reinforceSamples;
    }

    /** Architecture-split images each sampled network is scored on (the authors' 1,000). */
    public int reinforceBatchSize() {
        return reinforceBatchSize;
    }

    /** MnasNet's reward around a target: {@code soft} or {@code hard}. */
    public String reinforceReward() {
        return reinforceReward;
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Builds a {@link TrainerConfig}; everything is optional, defaults are NNI's. */
    public static final class Builder {
        private SpaceConfig model = SpaceConfig.fashionMnist();
        private String loss = "cross_entropy";
        private List<String> metrics = List.of("accuracy");
        private OptimizerConfig optimizer = OptimizerConfig.defaults();
        private int numEpochs = 120;
        private DatasetConfig dataset = DatasetConfig.defaults();
        private int warmupEpochs = 0;
        private int batchSize = 64;
        private int workers = 4;
        private String device = "cpu";
        private int logFrequency = 10;
        private double arcLearningRate = 1e-3;
        private String gradRegLossType;
        private Map<String, Double> gradRegLossParams = Map.of();
        private String appliedHardware;
        private String latencyTable;
        private int[] dummyInput;
        private Double refLatency;
        private BinaryMode binaryMode = BinaryMode.TWO;
        private int archUpdateFrequency = 1;
        private float labelSmoothing = 0.1f;
        private long seed = 0;
        private int shards = 0;
        private int checkpointEvery = 500;
        private Double targetLatency;
        private String algorithm = "gradient";
        private int reinforceSamples = 10;
        private int reinforceBatchSize = 1000;
        private String reinforceReward = "soft";

        public Builder optModel(SpaceConfig model) {
            this.model = model;
            return this;
        }

        public Builder optLoss(String loss) {
            this.loss = loss;
            return this;
        }

        public Builder optMetrics(List<String> metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder optOptimizer(OptimizerConfig optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optNumEpochs(int numEpochs) {
            this.numEpochs = numEpochs;
            return this;
        }

        public Builder optDataset(DatasetConfig dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder optWarmupEpochs(int warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        public Builder optLogFrequency(int logFrequency) {
            this.logFrequency = logFrequency;
            return this;
        }

        public Builder optArcLearningRate(double arcLearningRate) {
            this.arcLearningRate = arcLearningRate;
            return this;
        }

        public Builder optGradRegLossType(String type) {
            this.gradRegLossType = type == null || "none".equals(type) ? null : type;
            return this;
        }

        public Builder optGradRegLossParams(Map<String, Double> params) {
            this.gradRegLossParams = params;
            return this;
        }

        public Builder optAppliedHardware(String hardware) {
            this.appliedHardware = hardware;
            return this;
        }

        public Builder optLatencyTable(String path) {
            this.latencyTable = path;
            return this;
        }

        public Builder optDummyInput(int[] dummyInput) {
            this.dummyInput = dummyInput;
            return this;
        }

        public Builder optRefLatency(Double refLatency) {
            this.refLatency = refLatency;
            return this;
        }

        public Builder optBinaryMode(BinaryMode binaryMode) {
            this.binaryMode = binaryMode;
            return this;
        }

        public Builder optArchUpdateFrequency(int frequency) {
            this.archUpdateFrequency = frequency;
            return this;
        }

        public Builder optLabelSmoothing(float labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optShards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder optTargetLatency(Double latency) {
            this.targetLatency = latency;
            return this;
        }

        public Builder optAlgorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder optReinforceBatchSize(int images) {
            this.reinforceBatchSize = images;
            return this;
        }

        public Builder optReinforceReward(String reward) {
            this.reinforceReward = reward;
            return this;
        }

        public Builder optReinforceSamples(int samples) {
            this.reinforceSamples = samples;
            return this;
        }

        public Builder optCheckpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }


        public TrainerConfig build() {
            return new TrainerConfig(this);
        }
    }
}
