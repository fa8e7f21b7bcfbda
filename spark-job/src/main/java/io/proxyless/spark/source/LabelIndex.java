package io.proxyless.spark.source;

import io.proxyless.nas.data.BadDataException;
import io.proxyless.nas.train.InProcessData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * The classes of a table's label column, from one Spark aggregation (label, count): integer labels
 * index the space's classes directly; string labels become indices in sorted order, as
 * torchvision's ImageFolder sorts its class folders. Null and out-of-range labels are refused here,
 * with the row that has one.
 */
public final class LabelIndex implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LabelIndex.class);

    private final List<String> names;
    private final Map<String, Integer> byName;
    private final boolean integral;
    private final SortedMap<Integer, Long> counts;

    private LabelIndex(List<String> names, boolean integral, SortedMap<Integer, Long> counts) {
        this.names = List.copyOf(names);
        this.integral = integral;
        this.counts = counts;
        this.byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), i);
        }
    }

    public static LabelIndex of(ImageTable table, int numClasses) {
        String column = table.labelColumn();
        boolean integral = isIntegral(table);
        List<Row> groups = table.labelRows().groupBy(col(column)).count().collectAsList();
        SortedMap<Integer, Long> counts = new TreeMap<>();
        if (integral) {
            for (Row g : groups) {
                if (g.isNullAt(0)) {
                    throw nullLabel(table, g.getLong(1));
                }
                long label = ((Number) g.get(0)).longValue();
                if (label < 0 || label >= numClasses) {
                    throw new BadDataException(firstRow(table, col(column).equalTo(label)) + ": label " + label
                            + " is outside the space's classes 0.." + (numClasses - 1) + " (num_classes " + numClasses
                            + "); " + g.getLong(1) + " rows have it");
                }
                counts.put((int) label, g.getLong(1));
            }
            return new LabelIndex(InProcessData.integerClassNames(numClasses), true, counts);
        }
        TreeMap<String, Long> byName = new TreeMap<>();
        for (Row g : groups) {
            if (g.isNullAt(0)) {
                throw nullLabel(table, g.getLong(1));
            }
            byName.put(g.getString(0), g.getLong(1));
        }
        if (byName.size() > numClasses) {
            throw new BadDataException(table.description() + ": " + byName.size() + " classes in label column '" + column
                    + "' " + abbreviate(byName.keySet()) + " but the space has num_classes " + numClasses);
        }
        if (byName.size() < numClasses) {
            LOG.warn("{}: {} classes in label column '{}' for a space of num_classes {}; the other outputs get no rows",
                    table.description(), byName.size(), column, numClasses);
        }
        List<String> names = new ArrayList<>(byName.keySet());
        for (int i = 0; i < names.size(); i++) {
            counts.put(i, byName.get(names.get(i)));
        }
        return new LabelIndex(names, false, counts);
    }

    /**
     * The classes of a trained model, for a table scored against it: integer labels index them,
     * string labels are looked up by name. Nothing is counted.
     */
    public static LabelIndex forClasses(ImageTable table, List<String> classNames) {
        boolean integral = isIntegral(table);
        return new LabelIndex(classNames, integral, new TreeMap<>());
    }

    /** Whether the labels are class indices (integers) rather than names; other types are refused. */
    private static boolean isIntegral(ImageTable table) {
        DataType type = table.rows().schema().apply(table.labelColumn()).dataType();
        if (!(type instanceof IntegralType) && !type.equals(DataTypes.StringType)) {
            throw new BadDataException(table.description() + ": label column '" + table.labelColumn() + "' has type "
                    + type.simpleString() + "; labels are integers (class indices) or strings (class names)");
        }
        return type instanceof IntegralType;
    }

    private static String abbreviate(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 12 ? list.toString() : list.subList(0, 12) + " and " + (list.size() - 12) + " more";
    }

    private static BadDataException nullLabel(ImageTable table, long rows) {
        return new BadDataException(firstRow(table, col(table.labelColumn()).isNull()) + ": the label ('"
                + table.labelColumn() + "') is null; " + rows + " rows have none");
    }

    /** The first row matching {@code condition}, by its origin where the table has one. */
    private static String firstRow(ImageTable table, org.apache.spark.sql.Column condition) {
        if (table.originColumn() == null) {
            return table.description() + ", a row";
        }
        Dataset<Row> hit = table.labelRows().filter(condition).select(table.originColumn()).limit(1);
        List<Row> rows = hit.collectAsList();
        return rows.isEmpty() ? table.description() : rows.get(0).getString(0);
    }

    /** The class index of a label value as the table holds it. */
    public int indexOf(Object label, String where) {
        if (label == null) {
            throw new BadDataException(where + ": the label is null");
        }
        if (integral) {
            long index = ((Number) label).longValue();
            if (index < 0 || index >= names.size()) {
                throw new BadDataException(where + ": label " + index + " is outside the classes 0.." + (names.size() - 1));
            }
            return (int) index;
        }
        Integer index = byName.get(label.toString());
        if (index == null) {
            throw new BadDataException(where + ": label '" + label + "' is not one of the classes " + abbreviate(names));
        }
        return index;
    }

    /** Class names by index. */
    public List<String> names() {
        return names;
    }

    /** Rows per class index. */
    public SortedMap<Integer, Long> counts() {
        return new TreeMap<>(counts);
    }
}
