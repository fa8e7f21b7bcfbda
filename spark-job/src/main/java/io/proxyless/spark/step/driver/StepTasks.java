package io.proxyless.spark.step.driver;

import org.apache.spark.SparkConf;

import java.util.Locale;

/** How the driver has partitions compute steps: {@code spark.proxyless.step.tasks}. */
public enum StepTasks {
    /** One job of tasks that each compute many steps, where the cluster has a slot for every partition with shards. */
    LONG_RUNNING,
    /** One Spark job per step. */
    PER_STEP;

    public static final String SETTING = "spark.proxyless.step.tasks";

    public static StepTasks of(SparkConf conf) {
        String value = conf.get(SETTING, "long-running").trim();
        for (StepTasks tasks : values()) {
            if (tasks.settingValue().equalsIgnoreCase(value)) {
                return tasks;
            }
        }
        throw new IllegalArgumentException(SETTING + ": '" + value + "' is not one of [long-running, per-step]");
    }

    /** As the setting spells it. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
