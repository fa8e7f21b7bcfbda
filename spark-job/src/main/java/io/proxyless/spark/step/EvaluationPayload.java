package io.proxyless.spark.step;

import io.proxyless.nas.child.ChildArchitecture;

import java.io.Serializable;
import java.util.Map;

/** What the driver broadcasts for one evaluation: the network and its values. */
public record EvaluationPayload(ChildArchitecture child, Map<String, float[]> values) implements Serializable {}
