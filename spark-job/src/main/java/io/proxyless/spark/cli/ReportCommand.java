package io.proxyless.spark.cli;

import io.proxyless.nas.report.SearchReport;
import io.proxyless.spark.fs.HadoopOutputFolder;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code proxyless report}: (re)writes the self-contained {@code report.html} of a search. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html into a search's folder: the chosen network, each cell's probabilities over the"
                + " steps, loss, accuracy and latency curves, the network against the uniform ones, the configuration."
                + " A search writes it at its end; this redraws it, e.g. after an upgrade.")
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The search's output folder (any Hadoop path)")
    String run;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HadoopOutputFolder folder = new HadoopOutputFolder(run, new Configuration());
        SearchReport.write(folder);
        spec.commandLine().getOut().println(folder.describe(SearchReport.FILE));
        return 0;
    }
}
