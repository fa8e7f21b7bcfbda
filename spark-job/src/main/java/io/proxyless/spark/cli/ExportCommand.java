package io.proxyless.spark.cli;

import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.savedmodel.OnnxCheck;
import io.proxyless.nas.savedmodel.OnnxExport;
import io.proxyless.nas.savedmodel.SavedModel;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code proxyless export}: a saved model as a file that other runtimes read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model folder's network as ONNX (standard operators, opset 17, batch norm folded,"
                + " metadata with the input shape, normalisation and class names). retrain already writes"
                + " model.onnx; this serves folders saved before, or another place.")
public final class ExportCommand implements Callable<Integer> {

    /** Images that --check runs when no --check-data is given. */
    static final int RANDOM_CHECK_IMAGES = 512;

    @Option(names = "--model", required = true, description = "Model folder written by retrain (any Hadoop path)")
    String model;

    @Option(names = "--format", defaultValue = "onnx", description = "Only onnx (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the file (any Hadoop path; default: MODEL/model.onnx); an existing file is"
                    + " not replaced")
    String output;

    @Option(names = "--check", description = "Run the file in ONNX Runtime beside the DJL network and write it only"
            + " if every logit agrees within 1e-4 and no top-1 prediction differs")
    boolean check;

    @Option(names = "--check-data", paramLabel = "DIR", description = "An IDX folder whose t10k images --check runs"
            + " (default: " + RANDOM_CHECK_IMAGES + " images of random pixels)")
    String checkData;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    JarOptions jarOptions;

    @Override
    public Integer call() throws Exception {
        if (!"onnx".equals(format)) {
            throw new IllegalArgumentException("--format: '" + format + "' is not a format export writes; it writes onnx");
        }
        if (checkData != null && !check) {
            throw new IllegalArgumentException("--check-data needs --check");
        }
        Configuration hadoop = new Configuration();
        jarOptions.load(hadoop);
        Path target = new Path(output != null ? output : new Path(model, OnnxExport.FILE).toString());
        HadoopOutputFolder folder = new HadoopOutputFolder(target.getParent().toString(), hadoop);
        if (folder.exists(target.getName())) {
            throw new IllegalArgumentException(folder.describe(target.getName()) + " already exists; give another"
                    + " --output, or delete it first");
        }
        SavedModel saved = SavedModel.load(new HadoopFileSource(model, hadoop));
        byte[] onnx = OnnxExport.toOnnx(saved);
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            OnnxCheck.Result result = OnnxCheck.compare(saved, onnx, checkImages(saved, hadoop), checkData != null);
            out.println("ONNX Runtime against DJL: " + result.describe());
            if (!result.passed()) {
                throw new IllegalStateException("the ONNX file disagrees with the model (" + result.describe()
                        + "); nothing was written");
            }
        }
        folder.writeAtomically(target.getName(), onnx);
        out.printf("%s: %d bytes, opset %s, input %s %s, output %s%n", folder.describe(target.getName()), onnx.length,
                io.proxyless.nas.onnx.OnnxGraph.OPSET, OnnxExport.INPUT,
                Arrays.toString(saved.space().create().inputShape()), OnnxExport.OUTPUT);
        out.flush();
        return 0;
    }

    private ImageDataset checkImages(SavedModel saved, Configuration hadoop) throws java.io.IOException {
        if (checkData == null) {
            return OnnxCheck.randomImages(saved, RANDOM_CHECK_IMAGES, 0);
        }
        return IdxTestImages.load(new HadoopFileSource(checkData, hadoop), saved, "--check-data ", "");
    }
}
