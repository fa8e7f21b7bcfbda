package io.proxyless.udfs.classify;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Alias$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.MapPartitions$;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans {@code classify(image)} in a projection as a batched pass over each partition. A SQL function
 * is called one row at a time, and one image per forward pass runs at under half the throughput of
 * a batch. This optimizer rule, which {@link Classify#register} adds to the session, rewrites
 * {@code Project[..., classify(e), ...](child)} into
 * {@code Project[...](MapPartitions(Project[child..., e](child)))}, where the partition function is
 * the one {@link Classify#transform} uses, so SQL and DataFrame callers get the same batches and the
 * same predictions. Elsewhere (a filter, a join condition) the function stays row by row, which
 * is correct, only slower.
 */
final class BatchedClassify extends Rule<LogicalPlan> {

    /** Rows per forward pass of a planned {@code classify}; read when a query is planned. */
    public static final String BATCH_KEY = "spark.proxyless.classify.batch";
    static final int DEFAULT_BATCH = 256;

    private static final String IMAGE = "classify_image";
    private static final String PREDICTION = "classify_prediction";

    private final Classify classify;
    private final SparkSession spark;

    BatchedClassify(Classify classify, SparkSession spark) {
        this.classify = classify;
        this.spark = spark;
    }

    Classify classify() {
        return classify;
    }

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        LogicalPlan planned = plan.mapChildren(this::apply);
        if (planned instanceof Project project) {
            ScalaUDF call = firstCall(project);
            if (call != null) {
                return batched(project, call);
            }
        }
        return planned;
    }

    private static ScalaUDF firstCall(Project project) {
        for (NamedExpression e : CollectionConverters.asJava(project.projectList())) {
            Option<Expression> found = ((Expression) e).find(x -> x instanceof ScalaUDF u && isClassify(u));
            if (found.isDefined()) {
                return (ScalaUDF) found.get();
            }
        }
        return null;
    }

    private static boolean isClassify(ScalaUDF udf) {
        return udf.udfName().isDefined() && udf.udfName().get().equalsIgnoreCase(Classify.NAME)
                && udf.dataType().equals(Classify.PREDICTION) && udf.children().size() == 1;
    }

    private LogicalPlan batched(Project project, ScalaUDF call) {
        List<Attribute> childOutput = CollectionConverters.asJava(project.child().output());
        List<NamedExpression> withImage = new ArrayList<>(childOutput);
        withImage.add(alias(call.children().head(), IMAGE));
        Project input = new Project(seq(withImage), project.child());
        StructType inputSchema = input.schema();
        int batch = Integer.parseInt(spark.conf().get(BATCH_KEY, String.valueOf(DEFAULT_BATCH)));
        LogicalPlan mapped = resolvedOver(input, MapPartitions$.MODULE$.apply(
                classify.partitions(childOutput.size(), batch, Classify.NAME + "(image)"), LocalRelation$.MODULE$.apply(input.output()),
                Encoders.row(inputSchema), Encoders.row(inputSchema.add(PREDICTION, Classify.PREDICTION, false))));

        List<Attribute> mappedOutput = CollectionConverters.asJava(mapped.output());
        Map<ExprId, Attribute> moved = new HashMap<>();
        for (int i = 0; i < childOutput.size(); i++) {
            moved.put(childOutput.get(i).exprId(), mappedOutput.get(i));
        }
        Attribute prediction = mappedOutput.get(mappedOutput.size() - 1);
        List<NamedExpression> projected = new ArrayList<>();
        for (NamedExpression e : CollectionConverters.asJava(project.projectList())) {
            Expression rewritten = replace((Expression) e, call, moved, prediction);
            // The projection's output keeps its ids: the plans above it refer to them.
            projected.add(e instanceof Attribute a
                    ? new Alias(rewritten, a.name(), a.exprId(), a.qualifier(), Option.apply(a.metadata()),
                            Alias$.MODULE$.apply$default$6(rewritten, a.name()))
                    : (NamedExpression) rewritten);
        }
        return new Project(seq(projected), mapped);
    }

    /**
     * The row (de)serializers that {@code MapPartitions} brings are resolved by the analyzer, which
     * has already run: they are resolved here over a stand-in leaf with the input's attributes, and
     * the leaf then swapped for the input.
     */
    private LogicalPlan resolvedOver(LogicalPlan input, LogicalPlan overStandIn) {
        return swapLeaf(spark.sessionState().analyzer().execute(overStandIn), input);
    }

    private static LogicalPlan swapLeaf(LogicalPlan plan, LogicalPlan leaf) {
        return plan instanceof LocalRelation ? leaf : plan.mapChildren(c -> swapLeaf(c, leaf));
    }

    private static Expression replace(Expression e, ScalaUDF call, Map<ExprId, Attribute> moved, Attribute prediction) {
        if (e instanceof ScalaUDF u && u.semanticEquals(call)) {
            return prediction;
        }
        if (e instanceof Attribute a && moved.containsKey(a.exprId())) {
            return moved.get(a.exprId());
        }
        return e.mapChildren(c -> replace(c, call, moved, prediction));
    }

    private static Alias alias(Expression child, String name) {
        Alias$ a = Alias$.MODULE$;
        return a.apply(child, name, a.apply$default$3(child, name), a.apply$default$4(child, name),
                a.apply$default$5(child, name), a.apply$default$6(child, name));
    }

    private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toList();
    }
}
