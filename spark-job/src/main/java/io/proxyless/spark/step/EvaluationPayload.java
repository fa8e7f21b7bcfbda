package io.proxyless.spark.step;

import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.device.ComputeDevice;

import java.io.Serializable;
import java.util.Map;

/** What the driver broadcasts for one evaluation: the network and its values. */
public record EvaluationPayload(ChildArchitecture child, Map<String, float[]> values, ComputeDevice device)
        implements Serializable {}
